// Run by artifacts tests as a second process: builds (or waits for) a fake tier and prints the result.
import { ensureTierArtifacts } from '../src/artifacts/cache.ts';

const [cacheDir, sourceDir, tier] = process.argv.slice(2) as [string, string, string];
const logs: string[] = [];
const artifacts = await ensureTierArtifacts(Number(tier), {
  cacheDir,
  sourceDir,
  mainSource: (t) =>
    `pragma circom 2.2.3;\ninclude "fake.circom";\ncomponent main {public [a, c]} = Small(${t});\n`,
  log: (line) => logs.push(line),
});
process.stdout.write(`${JSON.stringify({ dir: artifacts.dir, logs })}\n`);
process.exit(0);
