/**
 * Valid-but-wrong sequences and malformed packets over real TCP, against our broker and Debian mosquitto (the
 * reference): each bad connection is closed the way the spec says (5.0: DISCONNECT with its reason code), and
 * a well-behaved client connected alongside keeps receiving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroker, type MqttBroker } from '../../packages/broker/src/index.ts';
import { createLogger } from '../../packages/broker/src/log.ts';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.ts';
import { RawMqtt } from '../support/raw-mqtt.ts';
import { judge, runWrongSequence, WRONG_SEQUENCES } from './wrong-sequences.ts';

const errors: string[] = [];

describe.each(['mqttkit', 'mosquitto'] as const)('wrong sequences against %s', (target) => {
  let port = 0;
  let broker: MqttBroker | undefined;
  let mosquitto: Mosquitto | undefined;
  let watcher: RawMqtt;
  let seen = 0;

  beforeAll(async () => {
    if (target === 'mqttkit') {
      broker = await createBroker({ port: 0, sysInterval: 0, logger: createLogger('error', (line) => void errors.push(line)) });
      port = broker.ports.tcp!;
    } else {
      mosquitto = await startMosquitto({ extraConfig: ['max_packet_size 1048576'] });
      port = mosquitto.tcpPort;
    }
    watcher = (await RawMqtt.connect(port, { protocolVersion: 5, clientId: `watcher-${target}` })).client;
    await watcher.subscribe('watch/#', 1);
  });

  afterAll(async () => {
    watcher?.destroy();
    await broker?.close();
    await mosquitto?.stop();
  });

  // mosquitto is the reference: its measured deviations are written next to each case; what it accepts is left out.
  const cases = WRONG_SEQUENCES.filter((seq) => target === 'mqttkit' || (!seq.oursOnly && seq.mosquitto !== 'accepts'));
  it.each(cases.map((seq) => [seq.name, seq] as const))('%s', async (_name, seq) => {
    const expectation = target === 'mosquitto' && seq.mosquitto !== undefined && seq.mosquitto !== 'accepts' ? seq.mosquitto : seq.expect;
    const observed = await runWrongSequence(port, seq, expectation);
    expect(judge(seq, observed, expectation)).toBeUndefined();
    // The broker is up and a well-behaved client connected alongside still receives.
    const { client: publisher } = await RawMqtt.connect(port, { protocolVersion: 4, clientId: `pub-${target}` });
    await publisher.publish('watch/after', String(++seen), 1);
    publisher.destroy();
    const got = await watcher.next('publish');
    expect(new TextDecoder().decode(got.payload)).toBe(String(seen));
  });

  if (target === 'mqttkit') {
    it('logged no unexpected (non-MQTT) error while handling them', () => {
      expect(errors).toEqual([]);
    });
  }
});
