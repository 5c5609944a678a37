import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestMtime } from '@zksso/web-server';
import { afterAll, describe, expect, it } from 'vitest';
import { demoBuildReason, demoSourceRoots } from './build.ts';

describe('demoBuildReason', () => {
  // A fake repo: <tmp>/apps/demo with its sources, and a packages/sdk/src the demo bundles.
  const repo = mkdtempSync(join(tmpdir(), 'zksso-demo-build-'));
  const root = join(repo, 'apps', 'demo');
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  mkdirSync(join(root, 'src', 'app'), { recursive: true });
  mkdirSync(join(repo, 'packages', 'sdk', 'src'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html></html>');
  writeFileSync(join(root, 'src', 'app', 'main.tsx'), '');
  writeFileSync(join(repo, 'packages', 'sdk', 'src', 'index.ts'), '');
  // Fixed instants: two calls must give the same time, or a later reset would move the newest mtime.
  const start = Date.now();
  const past = (seconds: number) => new Date(start - seconds * 1000);
  for (const file of [
    join(root, 'index.html'),
    join(root, 'src', 'app', 'main.tsx'),
    join(repo, 'packages', 'sdk', 'src', 'index.ts'),
  ])
    utimesSync(file, past(100), past(100));

  it('asks for a build when there is none, then none until a source (app or bundled library) changes', () => {
    expect(demoBuildReason(root)).toBe('not built yet');
    mkdirSync(join(root, 'dist'));
    const sources = Math.max(...demoSourceRoots(root).map(newestMtime));
    writeFileSync(join(root, 'dist', '.build-stamp.json'), JSON.stringify({ sources }));
    expect(demoBuildReason(root)).toBeUndefined();
    utimesSync(join(repo, 'packages', 'sdk', 'src', 'index.ts'), new Date(), new Date());
    expect(demoBuildReason(root)).toBe('sources changed');
  });
});
