/**
 * What `createClient` leaves out of a bundle really is left out: an app built the way `npm run size` builds it
 * (esbuild, bundle, minify) carries a feature's code only when it passes that feature.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { APP_BUILD } from '../../../../bench/size.ts';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

async function bundle(code: string): Promise<string> {
  const result = await build({ stdin: { contents: code, resolveDir: root, loader: 'ts' }, ...APP_BUILD });
  return result.outputFiles[0]!.text;
}

const minimal = './packages/core/src/client/minimal.ts';

/** A string only each feature's code contains (public names and messages survive minification). */
const MARKERS = {
  // The PUBLISH encoder's own message: a client that never publishes does not carry the encoder.
  session: ['PUBLISH_FAILED', 'QUEUE_FULL', 'must be false at QoS 0'],
  reasonTexts: ['session taken over'],
  topicAliases: ['before setting it'],
  enhancedAuth: ['authenticate() failed'],
  request: ['mqttkit/inbox'],
  failover: ['"random"'],
} as const;

describe('tree-shaking', () => {
  it('a QoS 0 subscriber built with createClient() carries none of the features', async () => {
    const code = await bundle(`import { createClient } from '${minimal}';
      export const listen = (url: string) => createClient({ url }).subscribe('a/#', () => {});`);
    for (const markers of Object.values(MARKERS)) for (const marker of markers) expect(code).not.toContain(marker);
  });

  it.each(Object.keys(MARKERS) as (keyof typeof MARKERS)[])('passing %s brings its code, and only its own', async (feature) => {
    const code = await bundle(`import { createClient, ${feature} } from '${minimal}';
      export const open = (url: string) => createClient({ url }, { ${feature} });`);
    for (const [other, markers] of Object.entries(MARKERS)) {
      for (const marker of markers) {
        if (other === feature) expect(code).toContain(marker);
        else expect(code).not.toContain(marker);
      }
    }
  });

  it('MqttClient carries every feature', async () => {
    const code = await bundle(`export { MqttClient } from './packages/core/src/client/client.ts';`);
    for (const markers of Object.values(MARKERS)) for (const marker of markers) expect(code).toContain(marker);
  });
});
