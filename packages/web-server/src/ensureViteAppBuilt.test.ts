import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_STAMP_FILE, ensureViteAppBuilt, viteAppBuildReason } from './ensureViteAppBuilt.ts';
import { newestMtime } from './newestMtime.ts';

// A tiny app: one page and one module, built for real with Vite.
const appRoot = mkdtempSync(join(tmpdir(), 'zksso-vite-app-'));
afterAll(() => rmSync(appRoot, { recursive: true, force: true }));
writeFileSync(
  join(appRoot, 'index.html'),
  '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>',
);
writeFileSync(join(appRoot, 'main.js'), "document.body.append('first build');");
writeFileSync(join(appRoot, 'vite.config.ts'), `export default { root: ${JSON.stringify(appRoot)} };`);
const sourceRoots = [join(appRoot, 'index.html'), join(appRoot, 'main.js')];
const past = new Date(Date.now() - 60_000);
for (const file of sourceRoots) utimesSync(file, past, past);

/** The built script's text (its name is a content hash). */
function builtScript(): string {
  const assets = join(appRoot, 'dist', 'assets');
  const name = readdirSync(assets).find((file) => file.endsWith('.js'));
  return readFileSync(join(assets, name ?? 'missing.js'), 'utf8');
}

/** What a build leaves beside dist/: nothing (no lock, no half build, no old build). */
function leftovers(): string[] {
  return readdirSync(appRoot).filter((name) => name.startsWith('.'));
}

describe('ensureViteAppBuilt', () => {
  it('builds once when dist/ is missing, even when two callers ask at the same time', async () => {
    expect(viteAppBuildReason({ appRoot, sourceRoots })).toBe('not built yet');
    const status: string[] = [];
    const parameters = { appRoot, sourceRoots, label: 'the test app', logLevel: 'silent' as const };
    const results = await Promise.all([
      ensureViteAppBuilt({ ...parameters, onStatus: (line) => status.push(line) }),
      ensureViteAppBuilt({ ...parameters, onStatus: (line) => status.push(line) }),
    ]);
    const distDir = join(appRoot, 'dist');
    expect(results).toEqual(
      expect.arrayContaining([
        { built: true, reason: 'not built yet', distDir },
        { built: false, distDir },
      ]),
    );
    expect(status).toEqual(['building the test app with Vite (not built yet)']);
    expect(readFileSync(join(distDir, 'index.html'), 'utf8')).toMatch(/src="\/assets\/[^"]+\.js"/);
    expect(builtScript()).toContain('first build');
    const stamp = JSON.parse(readFileSync(join(distDir, BUILD_STAMP_FILE), 'utf8'));
    // The sources' time, not the build's: a source saved during a build makes the next start build again.
    expect(stamp.sources).toBe(Math.max(...sourceRoots.map(newestMtime)));
    expect(leftovers()).toEqual([]);
  });

  it('does nothing while dist/ is current', async () => {
    expect(viteAppBuildReason({ appRoot, sourceRoots })).toBeUndefined();
    const status: string[] = [];
    const result = await ensureViteAppBuilt({
      appRoot,
      sourceRoots,
      label: 'the test app',
      onStatus: (line) => status.push(line),
    });
    expect(result).toEqual({ built: false, distDir: join(appRoot, 'dist') });
    expect(status).toEqual([]);
  });

  it('rebuilds when a source changes, replacing dist/ whole, and when forced', async () => {
    writeFileSync(join(appRoot, 'main.js'), "document.body.append('second build');");
    expect(viteAppBuildReason({ appRoot, sourceRoots })).toBe('sources changed');
    const result = await ensureViteAppBuilt({
      appRoot,
      sourceRoots,
      label: 'the test app',
      logLevel: 'silent',
    });
    expect(result).toMatchObject({ built: true, reason: 'sources changed' });
    expect(builtScript()).toContain('second build');
    expect(builtScript()).not.toContain('first build');
    expect(viteAppBuildReason({ appRoot, sourceRoots })).toBeUndefined();
    const forced = await ensureViteAppBuilt({
      appRoot,
      sourceRoots,
      label: 'the test app',
      force: true,
      logLevel: 'silent',
    });
    expect(forced).toMatchObject({ built: true, reason: 'forced' });
    expect(existsSync(join(appRoot, 'dist', BUILD_STAMP_FILE))).toBe(true);
    expect(leftovers()).toEqual([]);
  });
});
