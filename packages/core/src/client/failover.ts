import type { ServerChoice } from './features.ts';
import { orderServers } from './server-order.ts';
import type { ClientOptions } from './types.ts';

/** Server references followed in a row without being accepted, before the client treats the next as a failure. */
const MAX_REDIRECTS = 5;

/**
 * The `failover` feature: several servers (`servers`, in order or with `serverOrder: 'random'`), the next one tried
 * at once after a failure with the backoff between rounds; and 5.0 server references (CONNACK/DISCONNECT 0x9C use
 * another server, 0x9D server moved) followed when `followServerReference` is set.
 */
export class Failover implements ServerChoice {
  readonly #servers: string[];
  readonly #follow: boolean;
  #index = 0;
  /** Failed attempts since the last backoff: the servers of one round are tried back to back. */
  #roundTries = 0;
  #redirect: string | undefined;
  /** Server references followed since the last CONNACK that accepted us. */
  #redirects = 0;

  constructor(servers: string[], options: ClientOptions) {
    this.#servers = orderServers(servers, options.serverOrder);
    this.#follow = options.followServerReference === true;
  }

  next(): string {
    const url = this.#redirect ?? (this.#servers[this.#index % this.#servers.length] as string);
    this.#redirect = undefined;
    return url;
  }

  accepted(): void {
    this.#roundTries = 0;
    this.#redirects = 0;
  }

  refer(reason: number, reference: string | undefined, current: string): void {
    if ((reason === 0x9c || reason === 0x9d) && reference !== undefined && this.#follow) {
      // A reference is `host[:port]` (possibly several, space separated); keep our scheme and path.
      const target = reference.split(' ')[0] as string;
      this.#redirect = target.includes('://') ? target : current.replace(/^(\w+:\/\/)[^/]*/, `$1${target}`);
    }
  }

  failed(final: boolean): boolean {
    this.#index++;
    // A server reference the user opted into is followed at once, also with reconnect off (it is where this
    // connection is meant to go), but only a few times in a row: two servers pointing at each other must not spin.
    if (this.#redirect !== undefined && !final && this.#redirects < MAX_REDIRECTS) {
      this.#redirects++;
      return true;
    }
    this.#redirect = undefined;
    return false;
  }

  nextInRound(): boolean {
    // Backoff is between rounds: after a failure the next server of the list is tried at once, so losing one
    // node of a cluster costs no delay; once every server failed in a row, the client backs off.
    const next = ++this.#roundTries < this.#servers.length;
    if (!next) this.#roundTries = 0;
    return next;
  }
}

/** The `failover` feature for `createClient`: several servers, and 5.0 server references. */
export const failover = (servers: string[], options: ClientOptions): ServerChoice => new Failover(servers, options);
