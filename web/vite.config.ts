import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The UI builds into web/dist, which the server serves at `/`. The dev server proxies the API
// to a locally running `firebreak serve` so `npx vite --config web/vite.config.ts` just works.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: { '/api': { target: process.env.FIREBREAK_API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
