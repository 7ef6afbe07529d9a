import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard. `npm run demo` starts this dev server programmatically; `npm run build -w apps/demo` builds it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    // Transform the entry graph as soon as the server starts, not on the first request: a cold first load of
    // `npm run demo` otherwise waits for every module to compile in turn.
    warmup: { clientFiles: ['./src/main.tsx', './src/ui/charts/Charts.tsx'] },
  },
  // Pre-bundle every dependency up front, so the first load never finds a new one and reloads the page.
  optimizeDeps: { include: ['react', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client', 'uplot'] },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: 'dist', target: 'es2022' },
});
