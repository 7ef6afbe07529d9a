#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on the fly (a runtime dependency for that reason).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`mqttkit-broker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
