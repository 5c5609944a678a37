// Shared by the services' `test/readme-config.test.ts`: a service's README "## Configuration" table must list
// exactly the environment variables its source reads, each with a default, so a variable added to (or dropped
// from) the code without its documentation fails a test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Every `env.NAME` / `process.env.NAME` / `integer(env, 'NAME'` read under `<packageDir>/src`, sorted.
 *
 * @example
 * ```ts
 * environmentVariablesRead('/repo/packages/salt'); // ['HOME', 'LOG_LEVEL', 'SALT_ALLOW_EMAIL_KEY_CLAIM', ...]
 * ```
 */
export function environmentVariablesRead(packageDir: string): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(packageDir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1] as string);
    for (const match of text.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add(match[1] as string);
  }
  return [...names].sort();
}

/**
 * The variables named in the rows of `<packageDir>/README.md`'s "## Configuration" section, each with the
 * cell after its name (the default).
 *
 * @example
 * ```ts
 * environmentVariablesDocumented('/repo/packages/salt').get('SALT_PORT'); // '`18810`'
 * ```
 */
export function environmentVariablesDocumented(packageDir: string): Map<string, string> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const start = readme.indexOf('## Configuration');
  if (start < 0) throw new Error(`${packageDir}/README.md has no "## Configuration" section`);
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
