/** @mqttkit/broker: an MQTT 3.1.1 + 5.0 broker for Node over TCP and WebSocket, with durable sessions. */
export { createBroker, MqttBroker, combineHooks, type BrokerOptions, type ListeningPorts } from './create-broker.ts';
export { Broker, type BrokerCoreOptions, type BrokerEvents, type PublishOptions } from './broker.ts';
export type { BrokerHooks, ClientInfo, AuthenticateRequest, AuthenticateResult, PublishRequest, SubscribeRequest, AuthenticationMethod, AuthExchange, AuthStep, EnhancedAuthRequest } from './hooks.ts';
export { defaultLimits, type BrokerLimits } from './limits.ts';
export { createLogger, type Logger, type LogLevel, type LogFields } from './log.ts';
export type { BrokerMessage } from './message.ts';
/** Thrown by `broker.publish` for input no subscriber could be sent, and by `createBroker` for a bad ACL filter. */
export { InvalidArgumentError } from '@mqttkit/core';
export type { SessionStore, StoredSession, StoredState, StoredSubscription, StoredWill } from './store/types.ts';
export { MemorySessionStore } from './store/memory.ts';
export { SqliteSessionStore } from './store/sqlite.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { parseAcl, aclHooks, type AclRule } from './auth/acl.ts';
export type { Transport, TransportEvents } from './wire.ts';
export type { PacketLink, LinkEvents } from './link.ts';
