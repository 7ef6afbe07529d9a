import { plainMessage, type BrokerMessage, type Outgoing } from '../message.ts';
import type { SessionStore, StoredSession, StoredState, StoredSubscription, StoredWill } from './types.ts';

interface MemorySession {
  row: Omit<StoredSession, 'subscriptions' | 'messages' | 'inboundQos2'>;
  subscriptions: Map<string, StoredSubscription>;
  messages: Map<number, Outgoing>;
  inboundQos2: Set<number>;
}

/**
 * The default store: nothing survives a restart, but it honours the whole contract, so the broker's code path is
 * the same with or without SQLite and the contract suite proves both alike. Values are copied in and out so the
 * caller's later mutations cannot leak into "stored" state.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, MemorySession>();
  private readonly retained = new Map<string, BrokerMessage>();
  private readonly wills = new Map<string, StoredWill>();

  load(): StoredState {
    const sessions = [...this.sessions.values()].map((s) => ({
      ...s.row,
      subscriptions: [...s.subscriptions.values()].map((sub) => ({ ...sub })),
      messages: [...s.messages.values()].sort((a, b) => a.seq - b.seq).map(copyOutgoing),
      inboundQos2: [...s.inboundQos2],
    }));
    return { sessions, retained: [...this.retained.values()].map(plainMessage), wills: [...this.wills.values()].map(copyWill) };
  }

  transaction<T>(work: () => T): T {
    return work();
  }

  saveSession(session: Omit<StoredSession, 'subscriptions' | 'messages' | 'inboundQos2'>): void {
    const existing = this.sessions.get(session.clientId);
    if (existing) existing.row = { ...session };
    else this.sessions.set(session.clientId, { row: { ...session }, subscriptions: new Map(), messages: new Map(), inboundQos2: new Set() });
  }

  deleteSession(clientId: string): void {
    this.sessions.delete(clientId);
  }

  saveSubscription(clientId: string, subscription: StoredSubscription): void {
    this.sessions.get(clientId)?.subscriptions.set(subscription.filter, { ...subscription });
  }

  deleteSubscription(clientId: string, filter: string): void {
    this.sessions.get(clientId)?.subscriptions.delete(filter);
  }

  saveMessage(clientId: string, message: Outgoing): void {
    this.sessions.get(clientId)?.messages.set(message.seq, copyOutgoing(message));
  }

  deleteMessage(clientId: string, seq: number): void {
    this.sessions.get(clientId)?.messages.delete(seq);
  }

  addInboundQos2(clientId: string, packetId: number): void {
    this.sessions.get(clientId)?.inboundQos2.add(packetId);
  }

  deleteInboundQos2(clientId: string, packetId: number): void {
    this.sessions.get(clientId)?.inboundQos2.delete(packetId);
  }

  saveWill(will: StoredWill): void {
    this.wills.set(will.clientId, copyWill(will));
  }

  deleteWill(clientId: string, willId: string): void {
    if (this.wills.get(clientId)?.willId === willId) this.wills.delete(clientId);
  }

  saveRetained(message: BrokerMessage): void {
    this.retained.set(message.topic, plainMessage(message));
  }

  deleteRetained(topic: string): void {
    this.retained.delete(topic);
  }

  close(): void {}
}

function copyOutgoing(message: Outgoing): Outgoing {
  const { resendDue: _due, ...stored } = message; // connection state, not session state
  return { ...stored, message: plainMessage(message.message) };
}

function copyWill(stored: StoredWill): StoredWill {
  const will = { ...stored.will };
  if (will.properties) will.properties = { ...will.properties };
  return { ...stored, will };
}
