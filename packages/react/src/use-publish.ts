import type { Message, PublishOptions, RequestOptions } from '@mqttkit/core';
import { useLastCall, type LastCall } from './use-last-call.ts';

export interface PublishState extends Omit<LastCall<void>, 'response'> {
  /** Stable across renders; returns the client's promise (resolves when sent, PUBACK or PUBCOMP by QoS). */
  publish: (topic: string, payload: string | Uint8Array, options?: PublishOptions) => Promise<void>;
}

/**
 * Publishes through the provider's client. While offline the client queues the message and `queued` says so.
 *
 * @example const { publish, pending, queued } = usePublish();
 *          <button onClick={() => publish('home/light', 'on', { qos: 1 })}>On</button>
 */
export const usePublish = (): PublishState => useLastCall('publish');

export interface RequestState extends LastCall<Message> {
  /** Stable across renders; resolves with the reply message (MQTT 5.0 request/response). */
  request: (topic: string, payload: string | Uint8Array, options?: RequestOptions) => Promise<Message>;
}

/**
 * MQTT 5.0 request/response through the provider's client: publishes with a response topic and correlation data
 * and resolves with the reply (`response`).
 *
 * @example const { request, response } = useMqttRequest();
 *          await request('thermostat/get', '', { timeout: 2000 });
 */
export const useMqttRequest = (): RequestState => useLastCall('request');
