/** Picks the implementation named by `?impl=` and reports failures on the page and in `pageStats.error`. */
import { params, stats } from './stats.ts';

const { impl } = params();
stats.impl = impl;
const status = document.getElementById('status')!;
const start = impl === 'vanilla' ? import('./vanilla.ts') : impl === 'hooks' ? import('./hooks.tsx') : import('./mqttkit.tsx');
start
  .then((module) => module.start())
  .then(() => {
    stats.ready = true;
    status.textContent = `${impl} ready`;
  })
  .catch((error: unknown) => {
    stats.error = String((error as Error)?.stack ?? error);
    status.textContent = `failed: ${stats.error}`;
  });
