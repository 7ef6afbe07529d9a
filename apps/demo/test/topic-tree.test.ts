import { describe, expect, it } from 'vitest';
import { rateOf, RATE_WINDOW_MS, sortedChildren, TopicTree } from '../src/ui/explorer/topic-tree.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('topic explorer tree', () => {
  it('builds the # tree level by level and keeps each topic\'s last message', () => {
    const tree = new TopicTree();
    tree.record('myhome/kitchen/light/state', bytes('{"on":true}'), true, 1, 1000);
    tree.record('myhome/kitchen/light/state', bytes('{"on":false}'), false, 1, 2000);
    tree.record('myhome/hall/lock/state', bytes('{}'), true, 1, 3000);
    expect(sortedChildren(tree.find('myhome')!).map((node) => node.segment)).toEqual(['hall', 'kitchen']);
    const state = tree.find('myhome/kitchen/light/state')!;
    expect(new TextDecoder().decode(state.last!.payload)).toBe('{"on":false}');
    expect(state.last).toMatchObject({ retain: false, qos: 1, at: 2000 });
    expect(state.count).toBe(2);
    expect(tree.find('myhome')!.count).toBe(3);
    expect(tree.find('myhome/kitchen')!.last).toBeUndefined();
    expect(tree.topics).toBe(7);
  });

  it('computes message rates over the window, counting a subtree on its parents', () => {
    const tree = new TopicTree();
    for (let i = 0; i < 10; i++) tree.record('a/b', bytes('x'), false, 0, 10_000 + i * 100);
    tree.record('a/c', bytes('x'), false, 0, 11_000);
    expect(rateOf(tree.find('a/b')!, 11_000)).toBe(10 / (RATE_WINDOW_MS / 1000));
    expect(rateOf(tree.find('a')!, 11_000)).toBe(11 / (RATE_WINDOW_MS / 1000));
    expect(rateOf(tree.find('a/b')!, 10_000 + RATE_WINDOW_MS + 1000)).toBe(0);
  });

  it('bounds memory: arrival times per node and the number of topics', () => {
    const tree = new TopicTree(3);
    for (let i = 0; i < 1000; i++) tree.record('x', bytes('1'), false, 0, i);
    expect(tree.find('x')!.recent.length).toBeLessThanOrEqual(200);
    tree.record('y/z', bytes('1'), false, 0, 0);
    tree.record('y/w', bytes('1'), false, 0, 0);
    expect(tree.topics).toBe(3);
    expect(tree.find('y/w')).toBeUndefined();
    expect(tree.find('y')!.count).toBe(2);
  });
});
