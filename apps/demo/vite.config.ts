import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sourceBrowserResolve } from '../../scripts/source-condition.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// The demo is served built (startDemo builds it when its sources change); React's JSX goes through Vite's
// own transform (automatic runtime), so no plugin is needed.
export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    // The zkSSO packages from their sources, not their built dist/ (scripts/source-condition.ts).
    ...sourceBrowserResolve,
    // One copy of each in the bundle: wagmi and @zksso/sdk must share @wagmi/core's and viem's classes.
    dedupe: ['@wagmi/core', 'viem', 'react', 'react-dom', '@tanstack/react-query'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP has no 'unsafe-inline': no inlined scripts or module-preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    // viem, wagmi, React and the connector in one chunk (about 560 kB, 170 kB gzip): fine for a demo.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      onwarn(warning, warn) {
        // wagmi's hooks start with 'use client' (for React Server Components): meaningless in this bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
