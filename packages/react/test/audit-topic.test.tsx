// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { json, useMqttTopic } from '../src/index.ts';
import { harness } from './render.tsx';

afterEach(cleanup);

describe('useMqttTopic with a select that throws', () => {
  it('a select that throws on a message keeps the last good value, and another component on the filter updates', () => {
    const h = harness();
    interface Reading { mode: string }
    function Strict() {
      const mode = useMqttTopic('hvac', { parse: json<Reading | null>, select: (r) => r!.mode, initial: 'off' });
      return <span data-testid="strict">{mode}</span>;
    }
    function Raw() {
      return <span data-testid="raw">{useMqttTopic('hvac', { initial: '' })}</span>;
    }
    h.mount(<><Strict /><Raw /></>);
    act(() => void h.client.emit('hvac', 'null'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('strict').textContent).toBe('off'); // nothing good yet: the initial value
    act(() => void h.client.emit('hvac', '{"mode":"heat"}'));
    act(() => h.frames.flush());
    act(() => void h.client.emit('hvac', 'null'));
    act(() => h.frames.flush());
    expect(screen.getByTestId('strict').textContent).toBe('heat');
    expect(screen.getByTestId('raw').textContent).toBe('null');
  });

});
