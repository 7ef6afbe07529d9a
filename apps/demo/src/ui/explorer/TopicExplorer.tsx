/**
 * The topic explorer: one subscription to `#`, every topic as a tree with its retained/last value and message
 * rate, details and recent messages for the selected topic, and a form to publish anything.
 */
import { useState, type ReactNode } from 'react';
import type { Message } from '@mqttkit/core';
import { useMqttMessages, useMqttSubscription } from '@mqttkit/react';
import { formatClock, formatPayload } from '../format.ts';
import { useNow } from '../use-now.ts';
import { PublishForm } from './PublishForm.tsx';
import { rateOf, sortedChildren, TopicTree, type TopicNode } from './topic-tree.ts';

/** How often the tree's counts and rates are redrawn: messages are recorded as they come, drawn at this pace. */
const REFRESH_MS = 500;

export function TopicExplorer(): ReactNode {
  const [tree] = useState(() => new TopicTree());
  const record = (message: Message) => tree.record(message.topic, message.payload, message.retain, message.qos, Date.now());
  useMqttSubscription('#', record, { qos: 0 });
  // `#` does not match $-topics (MQTT-4.7.2-1): the broker's own statistics need their own subscription.
  useMqttSubscription('$SYS/#', record, { qos: 0 });
  const now = useNow(REFRESH_MS);
  const [selected, setSelected] = useState<string>();
  // The broker's statistics start folded away: the home is what people come to see.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set(['$SYS']));
  const toggle = (path: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  const selectedNode = selected === undefined ? undefined : tree.find(selected);

  return (
    <div className="explorer">
      <section className="explorer__tree panel" aria-labelledby="tree-title">
        <div className="panel__head">
          <h2 id="tree-title" className="section-title">
            Topics <span className="section-title__sub">#</span>
          </h2>
          <p className="panel__meta" data-testid="explorer-summary">
            {tree.topics} nodes · {rateOf(tree.root, now).toFixed(1)} msg/s
          </p>
        </div>
        {tree.root.children.size === 0 ? (
          <p className="log__empty">Waiting for messages…</p>
        ) : (
          <ul className="tree">
            {sortedChildren(tree.root).map((child) => (
              <TreeNode key={child.path} node={child} depth={0} now={now} selected={selected} collapsed={collapsed} onSelect={setSelected} onToggle={toggle} />
            ))}
          </ul>
        )}
      </section>
      <div className="explorer__side">
        <section className="panel" aria-labelledby="detail-title">
          <h2 id="detail-title" className="section-title">
            {selected ?? 'Select a topic'}
          </h2>
          {selectedNode ? <TopicDetail node={selectedNode} now={now} /> : <p className="log__empty">Pick a topic in the tree to see its value and recent messages.</p>}
        </section>
        <PublishForm defaultTopic={selected && selected.endsWith('/state') ? selected.replace(/\/state$/, '/set') : 'myhome/living/ceiling-light/set'} />
      </div>
    </div>
  );
}

interface TreeNodeProps {
  node: TopicNode;
  depth: number;
  now: number;
  selected: string | undefined;
  collapsed: ReadonlySet<string>;
  onSelect(path: string): void;
  onToggle(path: string): void;
}

function TreeNode({ node, depth, now, selected, collapsed, onSelect, onToggle }: TreeNodeProps): ReactNode {
  const open = !collapsed.has(node.path);
  const hasChildren = node.children.size > 0;
  return (
    <li>
      <div className="tree__row" style={{ paddingInlineStart: `${depth * 1.1}rem` }}>
        {hasChildren ? (
          <button type="button" className="tree__twisty" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${node.path}`} onClick={() => onToggle(node.path)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree__twisty" aria-hidden="true" />
        )}
        <button type="button" className="tree__name" aria-current={selected === node.path} title={node.path} onClick={() => onSelect(node.path)}>
          {node.segment || '(empty)'}
        </button>
        {node.last && (
          <span className="tree__value" data-retained={node.last.retain}>
            {node.last.retain && <span className="tag">retained</span>}
            {formatPayload(node.last.payload, 48)}
          </span>
        )}
        <span className="tree__rate">{rateOf(node, now).toFixed(1)}/s</span>
      </div>
      {hasChildren && open && (
        <ul className="tree">
          {sortedChildren(node).map((child) => (
            <TreeNode key={child.path} node={child} depth={depth + 1} now={now} selected={selected} collapsed={collapsed} onSelect={onSelect} onToggle={onToggle} />
          ))}
        </ul>
      )}
    </li>
  );
}

function TopicDetail({ node, now }: { node: TopicNode; now: number }): ReactNode {
  return (
    <>
      <dl className="facts">
        <dt>Messages</dt>
        <dd>{node.count}</dd>
        <dt>Rate</dt>
        <dd>{rateOf(node, now).toFixed(1)} msg/s</dd>
        {node.last && (
          <>
            <dt>Last</dt>
            <dd>
              {formatClock(node.last.at)} · QoS {node.last.qos}
              {node.last.retain ? ' · retained' : ''}
            </dd>
          </>
        )}
      </dl>
      {node.last && <pre className="payload">{formatPayload(node.last.payload, 2000)}</pre>}
      {node.last && <RecentMessages topic={node.path} />}
    </>
  );
}

/** The last few messages on the selected topic, through `useMqttMessages` (a bounded ring buffer). */
function RecentMessages({ topic }: { topic: string }): ReactNode {
  const messages = useMqttMessages(topic, { limit: 8, qos: 0 });
  return (
    <>
      <h3 className="subsection-title">Recent</h3>
      <ol className="recent" reversed>
        {[...messages].reverse().map((message, i) => (
          <li key={messages.length - i}>{formatPayload(message.payload, 80)}</li>
        ))}
      </ol>
    </>
  );
}
