import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two pages: the wallet (index.html, served at /popup, /account and /) and the OpenID redirect target
// (callback.html, served at /callback), which loads only a few hundred bytes of script.
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
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
