// Trusted setup commands for @zksso/circuits.
//
//   npm run setup:dev -w @zksso/circuits [-- --tier 1024]          DEVELOPMENT KEY for tiers (cached)
//   npm run setup:dev -w @zksso/circuits -- --r1cs c.r1cs --zkey c.development.zkey
//   npm run ceremony -w @zksso/circuits -- new --tier 1024 --ptau pot21.ptau --zkey c_0000.zkey
//   npm run ceremony -w @zksso/circuits -- contribute --in c_0000.zkey --out c_0001.zkey --name alice
//   npm run ceremony -w @zksso/circuits -- verify --tier 1024 --ptau pot21.ptau --zkey c_0001.zkey
//   npm run ceremony -w @zksso/circuits -- beacon --in c_0001.zkey --out final.zkey --beacon <hex> [--iterations 10]
//   npm run ceremony -w @zksso/circuits -- export --zkey final.zkey --tier 1024 --out dir
import { parseArgs } from 'node:util';
import { ensureTierArtifacts } from '../src/artifacts/cache.ts';
import {
  ceremonyBeacon,
  ceremonyContribute,
  ceremonyExport,
  ceremonyNew,
  ceremonyVerify,
} from '../src/setup/ceremony.ts';
import { devSetup } from '../src/setup/dev-setup.ts';
import { formatProgress, formatSeconds } from '../src/setup/progress.ts';
import { TIERS } from '../src/tiers.ts';

const USAGE = `usage:
  setup.ts dev [--tier <n>]... | dev --r1cs <file> --zkey <file>
  setup.ts ceremony new --ptau <file> (--tier <n> | --r1cs <file>) --zkey <out>
  setup.ts ceremony contribute --in <zkey> --out <zkey> --name <who> [--entropy <text>]
  setup.ts ceremony verify --ptau <file> (--tier <n> | --r1cs <file>) --zkey <file>
  setup.ts ceremony beacon --in <zkey> --out <zkey> --beacon <hex> [--iterations <10..63>]
  setup.ts ceremony export --zkey <file> --tier <n> --out <dir>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tier: { type: 'string', multiple: true },
    r1cs: { type: 'string' },
    zkey: { type: 'string' },
    ptau: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    entropy: { type: 'string' },
    beacon: { type: 'string' },
    iterations: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const log = (line: string) => console.log(line);
// One line per whole percent (or every 15 s when a stage is slow), not one per report.
let lastPercent = -1;
let lastAt = 0;
const progress = (p: Parameters<typeof formatProgress>[0]) => {
  const percent = Math.floor(p.fraction * 100);
  if (percent === lastPercent && Date.now() - lastAt < 15_000) return;
  lastPercent = percent;
  lastAt = Date.now();
  console.log(`  ${formatProgress(p)}`);
};

function need(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

class UsageError extends Error {}

function tiersFromArgs(): number[] {
  const tiers = (values.tier ?? []).map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--tier must be a positive integer, got ${t}`);
    return n;
  });
  return tiers.length > 0 ? tiers : TIERS.map((t) => t.maxSignedBytes);
}

async function r1csFromArgs(): Promise<string> {
  if (values.r1cs) return values.r1cs;
  const [tier] = tiersFromArgs();
  if (values.tier === undefined || tier === undefined)
    throw new UsageError('give --tier <n> or --r1cs <file>');
  return (await ensureTierArtifacts(tier, { onProgress: progress, log })).r1csPath;
}

async function main(): Promise<void> {
  const [command, sub] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return;
  }
  if (command === 'dev') {
    if (values.r1cs) {
      const zkey = need('zkey');
      console.log(
        `DEVELOPMENT KEY setup of ${values.r1cs} → ${zkey} (single party: never protect value with it)`,
      );
      const result = await devSetup({ r1csPath: values.r1cs, zkeyPath: zkey, onProgress: progress });
      const rss = process.resourceUsage().maxRSS / 1024;
      console.log(
        `done: ${result.constraints} constraints, domain 2^${Math.log2(result.domainSize)}, ` +
          `${formatSeconds(result.seconds)}, peak RSS ${rss.toFixed(0)} MB`,
      );
      return;
    }
    for (const tier of tiersFromArgs()) {
      const a = await ensureTierArtifacts(tier, { onProgress: progress, log });
      console.log(`tier ${tier}: ${a.constraints} constraints, DEVELOPMENT KEY`);
      console.log(`  zkey     ${a.zkeyPath}\n  vkey     ${a.vkeyPath}\n  verifier ${a.verifierSolPath}`);
    }
    return;
  }
  if (command === 'ceremony') {
    switch (sub) {
      case 'new':
        await ceremonyNew({
          r1csPath: await r1csFromArgs(),
          ptauPath: need('ptau'),
          zkeyPath: need('zkey'),
          log,
        });
        console.log(`initial zkey written: ${need('zkey')}`);
        return;
      case 'contribute': {
        const hash = await ceremonyContribute({
          inZkey: need('in'),
          outZkey: need('out'),
          name: need('name'),
          ...(values.entropy ? { entropy: values.entropy } : {}),
          log,
        });
        console.log(`contribution hash (publish it): ${hash}`);
        return;
      }
      case 'verify':
        await ceremonyVerify({
          r1csPath: await r1csFromArgs(),
          ptauPath: need('ptau'),
          zkeyPath: need('zkey'),
          log,
        });
        console.log(`${need('zkey')}: every contribution verifies against the circuit and the powers of tau`);
        return;
      case 'beacon':
        await ceremonyBeacon({
          inZkey: need('in'),
          outZkey: need('out'),
          beaconHash: need('beacon'),
          ...(values.iterations ? { iterationsExp: Number(values.iterations) } : {}),
          log,
        });
        console.log(`final zkey written: ${need('out')}`);
        return;
      case 'export': {
        const [tier] = tiersFromArgs();
        if (values.tier === undefined || tier === undefined) throw new UsageError('missing --tier');
        const out = await ceremonyExport({ zkeyPath: need('zkey'), tier, outDir: need('out') });
        console.log(`verification key ${out.vkeyPath}\nSolidity verifier ${out.verifierSolPath}`);
        return;
      }
      default:
        throw new UsageError(`unknown ceremony step ${sub ?? '(none)'}`);
    }
  }
  throw new UsageError(`unknown command ${command}`);
}

try {
  await main();
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const e = error as { code?: string; message?: string };
  console.error(`error${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(error)}`);
  process.exit(1);
}
