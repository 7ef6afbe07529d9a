/** Publish anything to any topic: topic checked with core's validator before sending, QoS and retain chosen. */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { topicNameProblem } from '@mqttkit/core';
import { usePublish } from '@mqttkit/react';

export function PublishForm({ defaultTopic }: { defaultTopic: string }): ReactNode {
  const id = useId();
  const [topic, setTopic] = useState(defaultTopic);
  const [payload, setPayload] = useState('{"toggle":true}');
  const [qos, setQos] = useState<0 | 1 | 2>(1);
  const [retain, setRetain] = useState(false);
  const [result, setResult] = useState<string>();
  const { publish, pending, queued, error } = usePublish();
  useEffect(() => setTopic(defaultTopic), [defaultTopic]);
  const problem = topic ? topicNameProblem(topic) : 'enter a topic';

  let status = result ?? '';
  if (pending) status = queued ? 'Queued: it goes out when the connection is back' : 'Publishing…';
  else if (error) status = `Failed: ${error.message}`;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Publish
      </h2>
      <form
        className="publish"
        onSubmit={(event) => {
          event.preventDefault();
          if (problem) return;
          setResult(undefined);
          publish(topic, payload, { qos, retain }).then(
            () => setResult(`Published to ${topic}`),
            () => undefined,
          );
        }}
      >
        <label htmlFor={`${id}-topic`}>Topic</label>
        <input
          id={`${id}-topic`}
          className="input"
          value={topic}
          onChange={(event) => setTopic(event.target.value)}
          aria-invalid={problem !== undefined}
          aria-describedby={`${id}-problem`}
          spellCheck={false}
        />
        <p id={`${id}-problem`} className="field-problem">
          {problem && topic ? problem : ''}
        </p>
        <label htmlFor={`${id}-payload`}>Payload</label>
        <textarea id={`${id}-payload`} className="input" rows={2} value={payload} onChange={(event) => setPayload(event.target.value)} spellCheck={false} />
        <div className="publish__options">
          <label htmlFor={`${id}-qos`}>QoS</label>
          <select id={`${id}-qos`} className="select" value={qos} onChange={(event) => setQos(Number(event.target.value) as 0 | 1 | 2)}>
            <option value={0}>0</option>
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
          <label className="checkbox">
            <input type="checkbox" checked={retain} onChange={(event) => setRetain(event.target.checked)} /> Retain
          </label>
          <button type="submit" className="action action--primary" disabled={problem !== undefined}>
            Publish
          </button>
        </div>
        <p className="publish__status" role="status">
          {status}
        </p>
      </form>
    </section>
  );
}
