import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sourceBrowserResolve } from '../../scripts/source-condition.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two pages: the wallet (index.html, served at /popup, /account and /) and the OpenID redirect target
// (callback.html, served at /callback), which loads only a few hundred bytes of script.
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // The zkSSO packages from their sources, not their built dist/ (scripts/source-condition.ts).
  resolve: sourceBrowserResolve,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts (the CSP has no 'unsafe-inline'), and sourcemaps for debugging.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    // viem, noble curves and the Poseidon constants make one large wallet chunk; it loads once per popup.
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        callback: fileURLToPath(new URL('callback.html', import.meta.url)),
      },
    },
  },
});
