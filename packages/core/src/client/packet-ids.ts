import { ProtocolError } from '../errors.ts';

/** Packet identifiers 1-65535, handed out round-robin and never reused while still in flight [MQTT-2.2.1-3]. */
export class PacketIds {
  readonly #inUse = new Set<number>();
  #next = 1;

  /** A free id; throws when all 65,535 are in flight. */
  allocate(): number {
    for (let tries = 0; tries < 65_535; tries++) {
      const id = this.#next;
      this.#next = id === 65_535 ? 1 : id + 1;
      if (!this.#inUse.has(id)) {
        this.#inUse.add(id);
        return id;
      }
    }
    throw new ProtocolError('All 65,535 packet identifiers are in flight; wait for acknowledgements before sending more');
  }

  /** Marks an id taken, e.g. one restored from a message store. */
  reserve(id: number): void {
    this.#inUse.add(id);
  }

  release(id: number): void {
    this.#inUse.delete(id);
  }

  has(id: number): boolean {
    return this.#inUse.has(id);
  }
}
