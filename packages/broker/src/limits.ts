/**
 * Every limit the broker enforces, with the reason code a client sees when it hits one. Defaults follow
 * mosquitto's (1,000 queued, 10 topic aliases) except the send window: 100 in flight rather than 20, because
 * refilling a 20-message window costs a frame per few acks (bench: fan-in QoS 1 at ~0.5x of a raw relay with 20,
 * ~0.85x with 100); the client's receive maximum still lowers it.
 */
export interface BrokerLimits {
  /** Largest packet accepted, in bytes (DISCONNECT 0x95); advertised in 5.0 CONNACK. */
  maxPacketSize: number;
  /** Concurrent connected clients (CONNACK 0x97 at 5.0, 3 at 3.1.1). */
  maxConnections: number;
  /** QoS 1/2 messages unacknowledged per client (lowered further by its receive maximum). */
  maxInflight: number;
  /** Messages waiting per session; when full the oldest QoS 0 is dropped, else the newcomer. */
  maxQueued: number;
  /**
   * Milliseconds a publisher's PUBACK/PUBREC may wait for a full persistent session to make room (the message is
   * kept meanwhile, at most `receiveMaximum` per publisher); a session that makes none in that time gets the drop
   * policy until it catches up. 0: never wait, always drop.
   */
  maxAckHoldMs: number;
  /** Bytes of a topic name or filter (PUBACK / SUBACK reason 0x90 / 0x8F). */
  maxTopicLength: number;
  /** Levels of a topic name or filter. */
  maxTopicLevels: number;
  /** Subscriptions one session may hold; a SUBSCRIBE for more gets SUBACK 0x97 (5.0) / 0x80 (3.1.1) for the excess filters. */
  maxSubscriptionsPerClient: number;
  /** CONNECTs per second from one IP address, 0 for no limit (CONNACK 0x9F at 5.0). */
  connectRatePerIp: number;
  /** QoS 2 messages a client may have awaiting PUBREL (DISCONNECT 0x93); advertised in CONNACK. */
  receiveMaximum: number;
  /** Topic aliases each way per connection; advertised in CONNACK. */
  topicAliasMaximum: number;
  /** Keepalive imposed on clients asking for more (or for none), 0 to accept any; 5.0 server keep alive. */
  maxKeepAlive: number;
  /** Bytes buffered on a socket before a client counts as slow and its messages queue instead. */
  maxWriteBuffer: number;
  maxClientIdLength: number;
  /** Milliseconds a new connection has to complete CONNECT (authentication included) before it is closed. */
  connectTimeoutMs: number;
}

export const defaultLimits: BrokerLimits = {
  maxPacketSize: 1024 * 1024,
  maxConnections: 100_000,
  maxInflight: 100,
  maxQueued: 1000,
  maxAckHoldMs: 10_000,
  maxTopicLength: 65535,
  maxTopicLevels: 128,
  maxSubscriptionsPerClient: 10_000,
  connectRatePerIp: 0,
  receiveMaximum: 100,
  topicAliasMaximum: 10,
  maxKeepAlive: 0,
  maxWriteBuffer: 512 * 1024,
  maxClientIdLength: 65535,
  connectTimeoutMs: 10_000,
};

/** Fixed one-second windows of CONNECT counts per address. */
export class ConnectRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perSecond: number) {}

  admit(address: string, now = Date.now()): boolean {
    if (this.perSecond <= 0) return true;
    const window = this.windows.get(address);
    if (!window || now - window.start >= 1000) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(address, { start: now, count: 1 });
      return true;
    }
    window.count++;
    return window.count <= this.perSecond;
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) if (now - window.start >= 1000) this.windows.delete(address);
  }
}
