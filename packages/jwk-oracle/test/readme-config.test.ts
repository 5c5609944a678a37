// The README's configuration table lists exactly the environment variables the source reads: a variable added
// to (or dropped from) the code without its documented default fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every `env.NAME` / `process.env.NAME` / `integer(env, 'NAME'` the source reads. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(packageDir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1] as string);
    for (const match of text.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add(match[1] as string);
  }
  return [...names].sort();
}

/** The variables named in the rows of the README's "## Configuration" section, with their default cell. */
function variablesDocumented(): Map<string, string> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const start = readme.indexOf('## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));
  const documented = new Map<string, string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('|') || /^[|\s:-]+$/.test(line)) continue;
    const cells = line
      .replace(/\\\|/g, '/')
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const at = cells.findIndex((cell) => /`[A-Z][A-Z0-9_]{2,}`/.test(cell));
    if (at < 0) continue;
    for (const match of (cells[at] as string).matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)) {
      documented.set(match[1] as string, cells[at + 1] ?? '');
    }
  }
  return documented;
}

describe('README configuration table', () => {
  it('documents exactly the environment variables the source reads, each with a default', () => {
    const documented = variablesDocumented();
    expect([...documented.keys()].sort()).toEqual(variablesRead());
    for (const [name, defaultCell] of documented) expect(defaultCell, name).not.toBe('');
  });
});
