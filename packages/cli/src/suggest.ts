/**
 * Edit distance between two words: insertions, deletions, substitutions and swaps of two neighbouring
 * letters each count 1 (Levenshtein with transpositions), so `sned` is 1 away from `send`.
 *
 * @example
 * ```ts
 * editDistance('sned', 'send'); // 1
 * editDistance('lgoin', 'login'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The command a mistyped command line most likely meant: the closest of `names` (one- or two-word names,
 * compared with as many typed words), if it is at most 2 edits away and closer than half its length.
 *
 * @example
 * ```ts
 * nearestCommand(['sned', '--to', '0x…'], ['send', 'session send']); // 'send'
 * nearestCommand(['session', 'lsit'], ['session list', 'send']); // 'session list'
 * nearestCommand(['frobnicate'], ['send']); // undefined
 * ```
 */
export function nearestCommand(argv: readonly string[], names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const words = name.split(' ').length;
    const typed = argv.slice(0, words).join(' ').toLowerCase();
    if (typed.split(' ').length < words) continue;
    const distance = editDistance(typed, name);
    if (distance <= 2 && distance * 2 < name.length && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}
