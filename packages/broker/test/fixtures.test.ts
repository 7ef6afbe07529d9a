/**
 * Byte-sequence fixtures named by conformance id (mosquitto's test/broker/data idea), run against our broker
 * AND Debian mosquitto over raw TCP: both must answer with the same bytes. Each fixture ends with the broker
 * still accepting a fresh client.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../../test/support/mosquitto.ts';
import { createBroker, type MqttBroker } from '../src/create-broker.ts';
import { createLogger } from '../src/log.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const CONNECT_V4 = '10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61'; // clean, keepalive 60, client id "a"
const CONNACK_OK = '20 02 00 00';

interface Fixture {
  id: string;
  what: string;
  /** Byte strings sent in order; each expects `expect` bytes back (empty string: nothing) before the next. */
  steps: { send: string; expect: string }[];
  /** The broker closes the connection at the end. */
  closes: boolean;
}

const fixtures: Fixture[] = [
  { id: 'MQTT-3.1.0-1', what: 'a first packet other than CONNECT is answered by a close', steps: [{ send: 'c0 00', expect: '' }], closes: true },
  { id: 'MQTT-3.1.2-2', what: 'protocol level 3 gets CONNACK 0x01', steps: [{ send: '10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 61', expect: '20 02 00 01' }], closes: true },
  { id: 'MQTT-3.1.3-8', what: 'an empty client id without clean session gets CONNACK 0x02', steps: [{ send: '10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00', expect: '20 02 00 02' }], closes: true },
  { id: 'MQTT-3.1.0-2', what: 'a second CONNECT closes the connection', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: CONNECT_V4, expect: '' }], closes: true },
  { id: 'MQTT-3.12.4-1', what: 'PINGREQ gets PINGRESP', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: 'c0 00', expect: 'd0 00' }], closes: false },
  { id: 'MQTT-3.8.4-1', what: 'SUBSCRIBE gets SUBACK with the granted QoS', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '82 06 00 07 00 01 74 01', expect: '90 03 00 07 01' }], closes: false },
  { id: 'MQTT-3.10.4-4', what: 'UNSUBSCRIBE gets UNSUBACK', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: 'a2 05 00 09 00 01 74', expect: 'b0 02 00 09' }], closes: false },
  { id: 'MQTT-4.3.2-2', what: 'QoS 1 PUBLISH gets PUBACK', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '32 06 00 01 74 00 05 78', expect: '40 02 00 05' }], closes: false },
  {
    id: 'MQTT-4.3.3-2',
    what: 'QoS 2 PUBLISH gets PUBREC, PUBREL gets PUBCOMP',
    steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '34 06 00 01 74 00 06 78', expect: '50 02 00 06' }, { send: '62 02 00 06', expect: '70 02 00 06' }],
    closes: false,
  },
  { id: 'MQTT-3.3.1-4', what: 'a PUBLISH with QoS 3 closes the connection', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '36 06 00 01 74 00 06 78', expect: '' }], closes: true },
  { id: 'MQTT-3.8.3-3', what: 'a SUBSCRIBE with no filter closes the connection', steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '82 02 00 01', expect: '' }], closes: true },
  {
    id: 'MQTT-3.3.1-9',
    what: 'a retained message is sent to a new subscriber with RETAIN set',
    steps: [{ send: CONNECT_V4, expect: CONNACK_OK }, { send: '31 06 00 02 72 2f 6b 76', expect: '' }, { send: '82 07 00 01 00 02 72 2f 00', expect: '90 03 00 01 00 31 06 00 02 72 2f 6b 76' }],
    closes: false,
  },
];

/** Sends each step and collects the answer until `expect.length` bytes arrived, or a short quiet period for ''. */
function play(port: number, fixture: Fixture): Promise<{ answers: string[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let closed = false;
    let wake = () => {};
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      wake();
    });
    socket.on('close', () => {
      closed = true;
      wake();
    });
    socket.on('error', () => {});
    socket.once('connect', async () => {
      try {
        const answers: string[] = [];
        for (const step of fixture.steps) {
          socket.write(hex(step.send));
          const want = hex(step.expect).length;
          const deadline = Date.now() + (want === 0 ? 150 : 3000);
          while ((want === 0 || buffer.length < want) && !closed && Date.now() < deadline) {
            await new Promise<void>((done) => {
              const timer = setTimeout(done, deadline - Date.now());
              wake = () => (clearTimeout(timer), done());
            });
          }
          answers.push(buffer.subarray(0, Math.max(want, buffer.length)).toString('hex'));
          buffer = Buffer.alloc(0);
        }
        if (fixture.closes && !closed) {
          await new Promise<void>((done) => {
            const timer = setTimeout(done, 3000);
            wake = () => closed && (clearTimeout(timer), done());
          });
        }
        socket.destroy();
        resolve({ answers, closed });
      } catch (error) {
        reject(error);
      }
    });
  });
}

function stillAlive(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(hex(CONNECT_V4)));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.subarray(0, 4).toString('hex'));
    });
    socket.once('error', reject);
  });
}

let ours: MqttBroker;
let mosquitto: Mosquitto;
beforeAll(async () => {
  [ours, mosquitto] = await Promise.all([createBroker({ port: 0, logger: createLogger('silent'), sysInterval: 0 }), startMosquitto()]);
});
afterAll(async () => {
  await Promise.all([ours?.close(), mosquitto?.stop()]);
});

describe('byte fixtures: our broker answers like mosquitto', () => {
  for (const fixture of fixtures) {
    it(`[${fixture.id}] ${fixture.what}`, async () => {
      const [mine, theirs] = await Promise.all([play(ours.ports.tcp!, fixture), play(mosquitto.tcpPort, fixture)]);
      const expected = fixture.steps.map((step) => step.expect.replace(/\s+/g, ''));
      expect(theirs.answers, 'mosquitto').toEqual(expected);
      expect(mine.answers, 'mqttkit').toEqual(expected);
      expect(mine.closed).toBe(fixture.closes);
      expect(theirs.closed).toBe(fixture.closes);
      // The broker is still alive and serving.
      expect(await stillAlive(ours.ports.tcp!)).toBe(CONNACK_OK.replace(/\s+/g, ''));
    });
  }
});
