import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page is built the way a user's app would build @mqttkit/core: plain Vite, no Node polyfills.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: { target: 'es2022', sourcemap: true },
});
