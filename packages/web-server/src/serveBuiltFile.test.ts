import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuiltFiles, resolveBuiltFile, serveBuiltFile } from './serveBuiltFile.ts';
import { startHttpServer } from './startHttpServer.ts';

// A fake build: pages, a hashed asset, a public file, the build stamp, and a secret beside dist/.
const root = mkdtempSync(join(tmpdir(), 'zksso-serve-built-'));
const dist = join(root, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(dist, 'callback.html'), '<!doctype html><title>callback</title>');
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
writeFileSync(join(dist, 'assets', 'font-abc123.woff2'), 'w');
writeFileSync(join(dist, 'icon.svg'), '<svg/>');
writeFileSync(join(dist, '.build-stamp.json'), '{}');
writeFileSync(join(root, 'secret.txt'), 'secret');

const serve = (files: BuiltFiles) =>
  startHttpServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://test.invalid');
    serveBuiltFile(req, res, pathname, {
      distDir: dist,
      pages: { '/': 'index.html', '/popup': 'index.html', '/callback': 'callback.html' },
      files,
    });
  });
const all = await serve('all');
const assets = await serve('assets');
afterAll(async () => {
  await all.close();
  await assets.close();
  rmSync(root, { recursive: true, force: true });
});

describe('resolveBuiltFile', () => {
  it('finds files of the build, only under assets/ when asked', () => {
    expect(resolveBuiltFile(dist, '/assets/index-abc123.js', 'assets')).toBe(
      join(dist, 'assets', 'index-abc123.js'),
    );
    expect(resolveBuiltFile(dist, '/icon.svg', 'all')).toBe(join(dist, 'icon.svg'));
    expect(resolveBuiltFile(dist, '/icon.svg', 'assets')).toBeUndefined();
    expect(resolveBuiltFile(dist, '/assets/%69ndex-abc123.js', 'all')).toBe(
      join(dist, 'assets', 'index-abc123.js'),
    );
  });

  it.each([
    '/nope.js',
    '/assets',
    '/.build-stamp.json',
    '/%2ebuild-stamp.json',
    '/..%2fsecret.txt',
    '/assets/..%2F..%2Fsecret.txt',
    '/%E0%A4%A',
    '/icon.svg%00',
  ])('refuses %s', (pathname) => {
    expect(resolveBuiltFile(dist, pathname, 'all')).toBeUndefined();
    expect(resolveBuiltFile(dist, pathname, 'assets')).toBeUndefined();
  });
});

describe('serveBuiltFile', () => {
  it('serves pages by route, always fresh, and hashed assets for a year', async () => {
    const popup = await fetch(`${assets.url}/popup`);
    expect(popup.status).toBe(200);
    expect(popup.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(popup.headers.get('cache-control')).toBe('no-store');
    expect(await popup.text()).toBe('<!doctype html><title>app</title>');
    expect(await (await fetch(`${assets.url}/callback`)).text()).toContain('callback');
    const script = await fetch(`${assets.url}/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-length')).toBe('15');
    expect((await fetch(`${assets.url}/assets/font-abc123.woff2`)).headers.get('content-type')).toBe(
      'font/woff2',
    );
  });

  it('answers HEAD with the headers only', async () => {
    const head = await fetch(`${all.url}/icon.svg`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/svg+xml');
    expect(head.headers.get('content-length')).toBe('6');
    expect(await head.text()).toBe('');
  });

  it('answers 404 NOT_FOUND in JSON for what it does not serve', async () => {
    for (const [server, path] of [
      [assets, '/icon.svg'],
      [all, '/index'],
      [all, '/.build-stamp.json'],
      [all, '/..%2fsecret.txt'],
      [all, '/%E0%A4%A'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: `no page ${path}` } });
    }
  });
});
