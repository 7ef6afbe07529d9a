/**
 * A Vitest project running packages/react/test against React 18: `react` and `react-dom` 18.3 installed by the
 * private workspace `test/react18` (@mqttkit/react18-harness, dev-only), which npm nests there next to the root's
 * React 19 with its peers satisfied. Imports that Vite resolves are aliased here; `require` calls inside node_modules
 * (react-dom, @testing-library/react) are redirected by `require-react-18.ts`, so every test uses one React 18.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/** The harness workspace's package.json: resolving from it, `react` is React 18. */
const HARNESS = fileURLToPath(new URL('../../../../test/react18/package.json', import.meta.url));
const requireFromReact18 = createRequire(HARNESS);

export const react18Project: TestProjectInlineConfiguration = {
  resolve: {
    alias: [
      // `react`, `react/jsx-dev-runtime`, `react-dom/client`, ...: the file that specifier names in React 18.
      { find: /^react(-dom)?(\/.*)?$/, replacement: '$&', customResolver: (id) => requireFromReact18.resolve(id) },
    ],
  },
  test: {
    name: 'react18',
    include: ['packages/react/test/**/*.test.{ts,tsx}'],
    environment: 'node',
    // For the setup file (where import.meta.url is not a file URL under jsdom).
    env: { MQTTKIT_REACT18_HARNESS: HARNESS },
    setupFiles: [fileURLToPath(new URL('./require-react-18.ts', import.meta.url))],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
};
