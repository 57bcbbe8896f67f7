import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The console is built into dist/web, which the control plane serves at `/` (SPA fallback).
// `root` is this folder whatever the working directory (tools/build.mjs runs from the repo root).
const root = decodeURIComponent(new URL('.', import.meta.url).pathname)

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for development against a local control plane.
    proxy: { '/api': 'http://127.0.0.1:8080', '/.well-known': 'http://127.0.0.1:8080' },
  },
})
