import { encode, PacketDecoder, type Packet, type ProtocolVersion } from '../packages/core/src/index.ts';
import type { CoreResults } from './pages/core/main.ts';
import { samplePackets, toHex, toPlain } from './pages/core/samples.ts';
import { expect, test } from './fixtures.ts';

const ALL_TYPES: Packet['type'][] = [
  'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth',
];

/** What Node makes of the same sample: the browser must agree byte for byte and field for field. */
function nodeRoundTrip(packet: Packet, version: ProtocolVersion) {
  const bytes = encode(packet, version);
  const [decoded] = new PacketDecoder({ version }).push(bytes);
  return { version, type: packet.type, hex: toHex(bytes), decoded: toPlain(decoded) };
}

test.describe('@mqttkit/core in Chromium, bundled by Vite without Node polyfills', () => {
  let results: CoreResults;

  test.beforeEach(async ({ page, mosquitto, servePage, pageErrors }) => {
    const url = `${await servePage('core')}?ws=${encodeURIComponent(mosquitto.wsUrl)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.coreResults !== undefined, undefined, { timeout: 20_000 });
    results = (await page.evaluate(() => window.coreResults)) as CoreResults;
    expect(results.error, `page failed; mosquitto log:\n${mosquitto.logs()}`).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  test('runs with no Buffer or process global', () => {
    expect(results.nodeGlobals).toEqual({ buffer: false, process: false });
  });

  test('encodes and decodes every packet type at 3.1.1 and 5.0 exactly as Node does', () => {
    for (const version of [4, 5] as const) {
      const inBrowser = results.roundTrips.filter((trip) => trip.version === version);
      expect(inBrowser.map((trip) => trip.type).sort()).toEqual(
        ALL_TYPES.filter((type) => version === 5 || type !== 'auth').sort(),
      );
      const inNode = samplePackets(version).map((packet) => nodeRoundTrip(packet, version));
      for (const [i, trip] of inBrowser.entries()) {
        const expected = inNode[i];
        expect(expected, `${trip.type} v${version}`).toBeDefined();
        expect({ version: trip.version, type: trip.type, hex: trip.hex, decoded: trip.decoded }).toEqual(expected);
        expect((trip.decoded as { type: string }).type).toBe(trip.type);
        // Byte-at-a-time decoding and re-encoding the decoded packet change nothing.
        expect(trip.decodedByteByByte, `${trip.type} v${version} byte by byte`).toEqual([trip.decoded]);
        expect(trip.reencodedHex, `${trip.type} v${version} re-encoded`).toBe(trip.hex);
      }
    }
  });

  test('gets a CONNACK with reason code 0 from mosquitto over a browser WebSocket (subprotocol mqtt), levels 4 and 5', () => {
    expect(results.connacks.map((result) => result.version)).toEqual([4, 5]);
    for (const result of results.connacks) {
      expect(result.subprotocol).toBe('mqtt');
      expect(result.packet).toMatchObject({ type: 'connack', reasonCode: 0, sessionPresent: false });
    }
  });
});
