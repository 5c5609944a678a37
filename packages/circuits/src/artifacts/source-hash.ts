import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const INCLUDE = /^\s*include\s+"([^"]+)"\s*;/gm;

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Hashes a circom main source together with every file it includes, transitively (resolved like circom:
 * beside the including file, then in each include directory in order). Any change to the circuit or a
 * library it uses changes the hash; unrelated files do not.
 *
 * @example
 * ```ts
 * const hash = await hashCircuitSources(mainSource, ['packages/circuits/circuits', 'node_modules']);
 * ```
 */
export async function hashCircuitSources(
  mainSource: string,
  includeDirs: readonly string[],
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`main\0${mainSource}\0`);
  const seen = new Set<string>();
  const visit = async (text: string, fromDir: string | undefined): Promise<void> => {
    for (const match of text.matchAll(INCLUDE)) {
      const name = match[1] as string;
      const candidates = [
        ...(fromDir ? [resolve(fromDir, name)] : []),
        ...includeDirs.map((d) => resolve(d, name)),
      ];
      let found: string | undefined;
      for (const candidate of candidates) {
        if (await exists(candidate)) {
          found = candidate;
          break;
        }
      }
      if (!found) {
        hash.update(`missing\0${name}\0`);
        continue;
      }
      if (seen.has(found)) continue;
      seen.add(found);
      const content = await readFile(found, 'utf8');
      hash.update(`file\0${name}\0${content}\0`);
      await visit(content, dirname(found));
    }
  };
  await visit(mainSource, undefined);
  return hash.digest('hex');
}
