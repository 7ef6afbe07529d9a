import { InvalidArgumentError } from '../errors.ts';
import { randomClientId, toBytes } from './connect-packet.ts';
import { TimeoutError } from './errors.ts';
import type { ClientHost, Requester } from './features.ts';
import type { Clock, Message, MessageHandler, PublishOptions, RequestOptions, SubscriptionHandle } from './types.ts';

/** What request/response needs from the client. */
export interface RequestClient {
  subscribe(filter: string, handler: MessageHandler): SubscriptionHandle;
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
}

let counter = 0;

/**
 * MQTT 5.0 request/response: subscribes to the response topic (shared, ref-counted), publishes the request with
 * Response Topic and fresh Correlation Data once the subscription is acknowledged, and resolves with the first
 * message carrying that correlation data; rejects with `TimeoutError` after `timeout` ms.
 */
export function sendRequest(
  client: RequestClient,
  clock: Clock,
  responseTopic: string,
  topic: string,
  payload: string | Uint8Array,
  options: RequestOptions = {},
): Promise<Message> {
  const correlation = `${Date.now().toString(36)}.${(++counter).toString(36)}`;
  const correlationData = toBytes(correlation);
  const timeout = options.timeout ?? 10_000;
  return new Promise<Message>((resolve, reject) => {
    let timer: unknown;
    const finish = (error: unknown, message?: Message): void => {
      clock.clearTimeout(timer);
      handle();
      if (message !== undefined) resolve(message);
      else reject(error);
    };
    const handle = client.subscribe(responseTopic, (message) => {
      const data = message.properties?.correlationData;
      if (data !== undefined && sameBytes(data, correlationData)) finish(undefined, message);
    });
    timer = clock.setTimeout(
      () => finish(new TimeoutError(`No response to the request on "${topic}" within ${timeout} ms; is anything answering on that topic?`)),
      timeout,
    );
    const { timeout: _, ...publishOptions } = options;
    handle.ready
      .then(() =>
        client.publish(topic, payload, {
          ...publishOptions,
          properties: { ...options.properties, responseTopic, correlationData },
        }),
      )
      .catch((error: unknown) => finish(error));
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The `request` feature for `createClient`: `client.request()` (MQTT 5.0 only). Replies come to the request's
 * `responseTopic`, or to an inbox topic of this client's own.
 */
export function request(client: RequestClient, host: ClientHost): Requester {
  const inbox = `mqttkit/inbox/${randomClientId()}`;
  return (topic, payload, options) =>
    host.version === 5
      ? sendRequest(client, host.clock, options?.properties?.responseTopic ?? inbox, topic, payload, options)
      : Promise.reject(new InvalidArgumentError('protocolVersion', 'request() needs MQTT 5.0 (protocolVersion: 5)'));
}
