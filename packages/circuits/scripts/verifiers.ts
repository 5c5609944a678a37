// Writes the tiers' Solidity verifiers (DEVELOPMENT KEYS unless a ceremony export replaced them):
//   npm run verifiers -w @zksso/circuits [-- --out <dir>] [-- --tier 1024]
// Default output: packages/contracts/src/verifiers/generated/ (the contracts build compiles them from there).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatProgress } from '../src/setup/progress.ts';
import { writeVerifierContracts } from '../src/solidity/write-contracts.ts';
import { TIERS } from '../src/tiers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { out: { type: 'string' }, tier: { type: 'string', multiple: true } },
});
const outDir = resolve(values.out ?? resolve(here, '../../contracts/src/verifiers/generated'));
const tiers = values.tier?.map(Number) ?? TIERS.map((t) => t.maxSignedBytes);
let last = -1;
try {
  const written = await writeVerifierContracts(outDir, tiers, {
    log: (line) => console.log(line),
    onProgress: (p) => {
      const step = Math.floor(p.fraction * 100);
      if (step !== last) console.log(`  ${formatProgress(p)}`);
      last = step;
    },
  });
  for (const file of written) console.log(`wrote ${file} (DEVELOPMENT KEY)`);
  process.exit(0);
} catch (error) {
  const e = error as { code?: string; message?: string };
  console.error(`error${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(error)}`);
  process.exit(1);
}
