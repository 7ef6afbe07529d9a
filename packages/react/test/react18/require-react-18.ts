/**
 * Setup file of the React 18 project: CommonJS `require('react')` / `require('react-dom/...')` from node_modules
 * (react-dom's own, @testing-library/react's) resolves to `react-18` / `react-dom-18`, the copies Vite's alias
 * gives our sources, so one React instance serves the renderer, the testing library and the hooks.
 */
import Module from 'node:module';
import { version } from 'react';

/** `react`, `react/jsx-runtime`, `react-dom/client`, ...: the same path in `react-18` / `react-dom-18`. */
const REACT_18_REQUEST = /^react(-dom)?(?=\/|$)/;

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request, ...rest) {
  return resolve.call(this, request.replace(REACT_18_REQUEST, 'react$1-18'), ...rest);
};

// Fails every test file of the project at once if the alias did not take.
if (!version.startsWith('18.')) throw new Error(`the react18 project runs React ${version}: check its alias`);
