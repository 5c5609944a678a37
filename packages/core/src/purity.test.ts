import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

// @zksso/core is pure (no I/O) and runs unchanged in browsers and Node: its library files may import only
// each other and its declared dependencies, and never touch Node built-ins, the process, the network or
// storage (a function that needs the network takes the caller's `fetch`). Test files are exempt (they read
// docs/protocol.md).
const SRC = fileURLToPath(new URL('.', import.meta.url));

function libraryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libraryFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The source without comments, so TSDoc examples (which may mention fetch) do not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('@zksso/core is pure', () => {
  const files = libraryFiles(SRC);

  it('imports only relative modules and its declared dependencies', () => {
    const allowed = new Set(Object.keys(pkg.dependencies));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      for (const [, specifier = ''] of code(readFileSync(file, 'utf8')).matchAll(/from '([^']+)'/g)) {
        if (specifier.startsWith('.')) continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0];
        expect(allowed.has(name ?? ''), `${file}: ${specifier}`).toBe(true);
      }
    }
  });

  it('uses no Node built-in, process, network or storage API', () => {
    // `fetch(` of the global only: the JWKS helpers call the `fetch` their caller passes (`options.fetch(`).
    const forbidden =
      /\b(process\.|require\(|(?<!\.)fetch\(|globalThis\.fetch|XMLHttpRequest|WebSocket|localStorage|indexedDB|Buffer\.)/;
    // The exemption is for the injected function only: the global fetch still counts.
    for (const ambient of ['await fetch(url)', 'globalThis.fetch(url)', 'const f = globalThis.fetch;']) {
      expect(ambient).toMatch(forbidden);
    }
    expect('await options.fetch(url)').not.toMatch(forbidden);
    for (const file of files) expect(code(readFileSync(file, 'utf8')), file).not.toMatch(forbidden);
  });
});
