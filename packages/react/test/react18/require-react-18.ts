/**
 * Setup file of the React 18 project: CommonJS `require('react')` / `require('react-dom/...')` from node_modules
 * (react-dom's own, @testing-library/react's) resolves to the React 18 of the `test/react18` workspace, the copy
 * Vite's alias gives our sources, so one React instance serves the renderer, the testing library and the hooks.
 */
import Module from 'node:module';
import { version } from 'react';

/** `react`, `react/jsx-runtime`, `react-dom/client`, ...: resolved from the React 18 workspace. */
const REACT_REQUEST = /^react(-dom)?(\/|$)/;

/** Lookup paths from the harness workspace (passed to Node's resolver as `options.paths`). */
const REACT_18_PATHS = { paths: Module.createRequire(process.env.MQTTKIT_REACT18_HARNESS!).resolve.paths('react') ?? [] };

type Resolve = (request: string, parent: unknown, isMain: unknown, options?: unknown) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request, parent, isMain, options) {
  return resolve.call(this, request, parent, isMain, REACT_REQUEST.test(request) ? REACT_18_PATHS : options);
};

// Fails every test file of the project at once if the alias did not take.
if (!version.startsWith('18.')) throw new Error(`the react18 project runs React ${version}: check its alias`);
