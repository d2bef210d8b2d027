import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built to static files: served by `leadbook serve` in web mode and loaded
// from disk (file://) by Electron, hence the relative base.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    // `npm run dev`: the API runs as `leadbook serve` on LEADBOOK_API_PORT. The proxy makes
    // requests look same-origin to it (it refuses foreign Origin/Host headers by design).
    proxy: {
      '/api': {
        target: `http://127.0.0.1:${process.env.LEADBOOK_API_PORT ?? '5174'}`,
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')),
      },
    },
  },
});
