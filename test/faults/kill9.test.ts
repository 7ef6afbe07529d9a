/**
 * The short version of `tsx test/faults/kill9-run.ts`: the broker bin with its SQLite store is killed with
 * SIGKILL three times while QoS 1, QoS 2 and retained messages flow, and restarted on the same file. Replay a failure
 * with `SEED=<n>`.
 */
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../support/random.ts';
import { crashReport, runCrashUnderLoad } from './crash-under-load.ts';

const SEED = seedFromEnv();

describe(`broker kill -9 under load with SQLite (SEED=${SEED})`, () => {
  it('[MQTT-4.1.0-1] loses no acknowledged QoS 1/2 message, duplicates no QoS 2 one, keeps retained messages and the subscription', async () => {
    const result = await runCrashUnderLoad({ seed: SEED, kills: 3, loadMs: [300, 1000], window: 50, retainedTopics: 5 });
    console.log(crashReport(result));
    expect(result.kills).toBe(3);
    // The load really ran: both QoS levels and retained messages were acknowledged across the kills.
    expect(result.acknowledged.qos1).toBeGreaterThan(0);
    expect(result.acknowledged.qos2).toBeGreaterThan(0);
    expect(result.acknowledged.retained).toBeGreaterThan(0);
    expect({ lost: result.lostAcknowledged, examples: result.lostExamples }).toEqual({ lost: 0, examples: [] });
    expect(result.qos2Duplicates).toBe(0);
    expect(result.missingRetained).toBe(0);
    expect(result.staleRetained).toBe(0);
    expect(result.subscriptionSurvived).toBe(true);
  }, 90_000);
});
