// The prover path of the stack with a stand-in circuit (same six public inputs, a few constraints), so the
// build, the verifier compile and deployment, and the prover service run for real in seconds. The real
// zkLogin tier is what `npm run dev` builds; its proofs are tested in @zksso/prover and @zksso/circuits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevStack, isPortFree, startDevStack } from '../src/index.ts';
import { isAlive } from './helpers.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TIER = 64;

describe('startDevStack with the prover', () => {
  let stack: DevStack;
  const lines: string[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'zksso-devstack-prover-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'zksso-devstack-cache-'));

  beforeAll(async () => {
    stack = await startDevStack({
      ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
      stateDir,
      cacheDir,
      tiers: [TIER],
      circuit: {
        sourceDir: fixtures,
        mainSource: (tier) =>
          `pragma circom 2.2.3;\ninclude "stand-in.circom";\n` +
          `component main {public [issHash, idc, ephHi, ephLo, expiry, modulusHash]} = StandIn(${tier / 16});\n`,
      },
      onStatus: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('builds the tier, deploys its verifier and serves the prover', async () => {
    expect(lines.some((l) => l.includes(`circuit tier ${TIER}`))).toBe(true);
    expect(stack.prover).toMatchObject({ running: true, tiers: [TIER] });
    const verifier = stack.addresses.verifiers[String(TIER)] as Address;
    expect(verifier).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const client = createPublicClient({ transport: http(stack.urls.rpc) });
    expect(((await client.getCode({ address: verifier })) ?? '0x').length).toBeGreaterThan(2);
    const health = await fetch(`${stack.urls.prover}/health`);
    expect(health.status).toBe(200);
  });

  it('stops the prover with the rest', async () => {
    const proverPort = stack.ports.prover;
    const pids = stack.processes.map((p) => p.pid);
    await stack.stop();
    expect(await isPortFree(proverPort)).toBe(true);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});
