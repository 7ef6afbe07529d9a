/** The client matrix against Debian mosquitto 2.0.11 (the reference broker: no quirks) at 3.1.1 and 5.0. */
import { afterAll, beforeAll } from 'vitest';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.ts';
import { describeClientMatrix, specQuirks } from './suite/index.ts';

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ passwords: { alice: 'secret' } });
});
afterAll(async () => {
  await broker?.stop();
});

for (const version of [4, 5] as const) {
  describeClientMatrix({
    name: 'mosquitto 2.0.11',
    version,
    url: () => broker.wsUrl,
    credentials: { username: 'alice', password: 'secret' },
    wrongCredentials: { username: 'alice', password: 'wrong' },
    quirks: specQuirks,
  });
}
