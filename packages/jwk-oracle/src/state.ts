import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Per issuer hash: when each active key was first seen missing from the JWKS (ms since epoch).
 *
 * @example
 * ```ts
 * const since = state.get(issHash)?.get(modulusHash);
 * ```
 */
export type AbsenceState = Map<bigint, Map<bigint, number>>;

interface StateFileV1 {
  version: 1;
  absentSince: Record<string, Record<string, number>>;
}

/**
 * Loads the absence clocks saved by {@link saveAbsenceState}; a missing file is an empty state. The file lets
 * `--once` runs from cron honour the grace period across runs.
 *
 * @example
 * ```ts
 * const state = loadAbsenceState('/var/lib/zksso/jwk-oracle.json');
 * ```
 */
export function loadAbsenceState(path: string): AbsenceState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const file = JSON.parse(text) as StateFileV1;
  const state: AbsenceState = new Map();
  for (const [iss, keys] of Object.entries(file.absentSince ?? {})) {
    state.set(BigInt(iss), new Map(Object.entries(keys).map(([mod, since]) => [BigInt(mod), Number(since)])));
  }
  return state;
}

/**
 * Writes the absence clocks atomically (temporary file + rename), so a crash never leaves half a file.
 *
 * @example
 * ```ts
 * saveAbsenceState('/var/lib/zksso/jwk-oracle.json', state);
 * ```
 */
export function saveAbsenceState(path: string, state: AbsenceState): void {
  const file: StateFileV1 = { version: 1, absentSince: {} };
  for (const [iss, keys] of state) {
    if (keys.size === 0) continue;
    file.absentSince[`0x${iss.toString(16)}`] = Object.fromEntries(
      [...keys].map(([mod, since]) => [`0x${mod.toString(16)}`, since]),
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temporary, path);
}
