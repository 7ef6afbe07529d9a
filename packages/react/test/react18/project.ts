/**
 * A Vitest project running packages/react/test against React 18 (`react-18`, `react-dom-18`: npm aliases,
 * dev-only). Imports that Vite resolves are aliased here; `require` calls inside node_modules (react-dom,
 * @testing-library/react) are redirected by `require-react-18.ts`, so every test uses one React 18.
 */
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

export const react18Project: TestProjectInlineConfiguration = {
  // `react`, `react/jsx-dev-runtime`, `react-dom/client`, ...: the same path in `react-18` / `react-dom-18`.
  resolve: { alias: [{ find: /^react(-dom)?(\/.*)?$/, replacement: 'react$1-18$2' }] },
  test: {
    name: 'react18',
    include: ['packages/react/test/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: [fileURLToPath(new URL('./require-react-18.ts', import.meta.url))],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
};
