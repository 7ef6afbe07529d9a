/** Counters behind `$SYS/broker/...` and `broker.stats`. */
export class BrokerStats {
  readonly startedAt = Date.now();
  messagesReceived = 0;
  messagesSent = 0;
  messagesDropped = 0;
  bytesReceived = 0;
  bytesSent = 0;
  connectionsTotal = 0;
}
