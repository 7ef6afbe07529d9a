import { defineConfig } from 'vitest/config';
import { react18Project } from './packages/react/test/react18/project.ts';

// Vitest for every workspace. Two cores on CI: keep workers modest.
export default defineConfig({
  test: {
    include: ['packages/*/{src,test}/**/*.test.{ts,tsx}', 'apps/*/{src,test,scripts}/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Everything as above, plus packages/react/test once more against React 18 (`--project react18`).
    projects: [{ extends: true, test: { name: 'default' } }, react18Project],
  },
});
