/**
 * Vitest's jsdom environment gives `TextEncoder` (Node's) and `Uint8Array` (jsdom's) from different realms, so
 * `encode(...) instanceof Uint8Array` is false there and core's codec refuses the bytes. Browsers and Node are
 * single-realm; this restores that for tests that put real packets on a real socket. Import it first.
 */
const NodeTextEncoder = globalThis.TextEncoder;

class SameRealmTextEncoder extends NodeTextEncoder {
  override encode(input?: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(super.encode(input));
  }
}

globalThis.TextEncoder = SameRealmTextEncoder;
