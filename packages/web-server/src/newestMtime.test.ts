import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newestMtime } from './newestMtime.ts';

describe('newestMtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-newest-mtime-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Fixed instants: two calls must give the same time, or a later reset would move the newest mtime.
  // Whole seconds: stat gives back exactly the same milliseconds.
  const start = Math.floor(Date.now() / 1000) * 1000;
  const past = (seconds: number) => new Date(start - seconds * 1000);

  it('takes the newest file, however deep', () => {
    mkdirSync(join(dir, 'deep', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'deep', 'deeper', 'b.ts'), '');
    writeFileSync(join(dir, 'a.ts'), '');
    utimesSync(join(dir, 'a.ts'), past(100), past(100));
    utimesSync(join(dir, 'deep', 'deeper', 'b.ts'), past(60), past(60));
    for (const folder of [join(dir, 'deep', 'deeper'), join(dir, 'deep'), dir])
      utimesSync(folder, past(200), past(200));
    expect(newestMtime(dir)).toBe(past(60).getTime());
    expect(newestMtime(join(dir, 'a.ts'))).toBe(past(100).getTime());
  });

  it('ignores tests and node_modules', () => {
    const scan = join(dir, 'scan');
    mkdirSync(join(scan, 'node_modules'), { recursive: true });
    writeFileSync(join(scan, 'a.ts'), '');
    utimesSync(join(scan, 'a.ts'), past(50), past(50));
    utimesSync(scan, past(50), past(50));
    const before = newestMtime(scan);
    writeFileSync(join(scan, 'a.test.ts'), '');
    writeFileSync(join(scan, 'node_modules', 'x.js'), '');
    utimesSync(join(scan, 'node_modules'), past(50), past(50));
    utimesSync(scan, past(50), past(50));
    expect(newestMtime(scan)).toBe(before);
    expect(newestMtime(join(dir, 'missing'))).toBe(0);
  });
});
