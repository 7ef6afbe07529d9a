/**
 * A page whose MqttClient is given several servers (`?servers=url1,url2`): it subscribes to `?topic=T/#`, records
 * every state change and message on `window.failover`, and the first time its connection goes it publishes
 * `queued while offline` to `T/queued` (which must wait in the offline queue and arrive once after the failover).
 */
import { MqttClient, type ClientState } from '@mqttkit/core';

export interface StateRecord {
  status: ClientState['status'];
  server: string | undefined;
  sessionPresent: boolean;
  sessionLost: boolean;
  error: string | undefined;
}

export interface FailoverPage {
  states: StateRecord[];
  received: string[];
  /** The most publishes the state showed waiting while the client was not connected (after its first connect). */
  queuedWhileOffline: number | undefined;
  /** Whether the outage publish completed (PUBACK after the failover). */
  queuedPublishDone: boolean;
  error?: string;
}

declare global {
  interface Window {
    failover?: FailoverPage;
  }
}

const params = new URLSearchParams(location.search);
const servers = (params.get('servers') ?? '').split(',').filter((url) => url !== '');
const topic = params.get('topic') ?? 'failover';
const page: FailoverPage = { states: [], received: [], queuedWhileOffline: undefined, queuedPublishDone: false };
window.failover = page;

const client = new MqttClient({
  servers,
  protocolVersion: 5,
  clientId: params.get('clientId') ?? `page-${Math.random().toString(36).slice(2, 10)}`,
  // ejabberd wants a username and a non-empty password on every CONNECT.
  username: params.get('user') ?? '',
  password: params.get('pass') ?? '',
  clean: false,
  sessionExpiryInterval: 300,
  reconnect: { minDelay: 50, maxDelay: 1_000 },
});

const decoder = new TextDecoder();
let connectedOnce = false;
let publishedOffline = false;
client.state.subscribe(() => {
  const state = client.state.getSnapshot();
  page.states.push({
    status: state.status,
    server: state.server,
    sessionPresent: state.sessionPresent,
    sessionLost: state.sessionLost,
    error: state.error?.message,
  });
  const status = document.getElementById('status');
  const server = document.getElementById('server');
  if (status !== null) status.textContent = state.status;
  if (server !== null) server.textContent = state.server ?? '';
  if (state.status === 'connected') connectedOnce = true;
  else if (connectedOnce) page.queuedWhileOffline = Math.max(page.queuedWhileOffline ?? 0, state.queued);
  if (connectedOnce && state.status !== 'connected' && !publishedOffline) {
    publishedOffline = true;
    // Outside the store's notification; no connection can open before a microtask runs.
    queueMicrotask(() => {
      client.publish(`${topic}/queued`, 'queued while offline', { qos: 1 }).then(
        () => (page.queuedPublishDone = true),
        (error: unknown) => (page.error = `queued publish failed: ${String(error)}`),
      );
    });
  }
});

client.subscribe(`${topic}/#`, (message) => page.received.push(decoder.decode(message.payload)), { qos: 1 });
client.connect().catch((error: unknown) => (page.error = `connect failed: ${String(error)}`));
