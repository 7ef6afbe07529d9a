import { defineConfig } from 'vitest/config';

// `npm run test:interop`: the slow interop suites kept out of `npm test` (a 2-node RabbitMQ cluster takes 20-30 s to
// start). Files are named `*.interop.ts` so the default config's `*.test.ts` pattern does not pick them up.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.interop.ts'],
    environment: 'node',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
