import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The journey console, served by the service itself at /console (src/console): built into dist/console by
 * `npm run build`, every script and style bundled (no CDN, no web fonts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Chart.js is most of the bundle; one file is fine for an internal tool served from the same host.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite --config console/vite.config.ts` next to `npm run start:dev`: the API on the same origin.
    proxy: { '/genesys': 'http://localhost:3000', '/health': 'http://localhost:3000' },
  },
});
