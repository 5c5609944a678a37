/**
 * Gas and latency of JWK oracle passes against anvil (port 21904): batches of N additions, a rotation
 * (add + revoke), owner mode versus 2-of-3 oracle mode, and a no-op pass. Writes bench/results/jwk-oracle.json.
 *
 *   npm run bench -w @zksso/jwk-oracle
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createJwkOracle, type SignerConfig } from '../src/index.ts';
import { silentLogger } from '../src/logger.ts';
import { ANVIL_KEY_0, ANVIL_KEY_1, deployRegistry, startAnvil } from '../test/harness.ts';

const ANVIL_PORT = 21904;

function rsaJwk(i: number) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(publicKey.export({ format: 'jwk' }) as object), kid: `bench-${i}`, alg: 'RS256', use: 'sig' };
}

const pool = Array.from({ length: 12 }, (_, i) => rsaJwk(i));
let published: object[] = [];
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ keys: published }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
const anvil = await startAnvil(ANVIL_PORT);

const oracleKeys: Hex[] = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
const results: Record<string, unknown>[] = [];

async function gasOf(txHash: Hex | undefined): Promise<bigint | undefined> {
  if (!txHash) return undefined;
  return (await anvil.publicClient.getTransactionReceipt({ hash: txHash })).gasUsed;
}

try {
  for (const mode of ['owner', 'oracle'] as const) {
    for (const adds of [1, 2, 4, 8]) {
      const registry = await deployRegistry(anvil, {
        ownerKey: ANVIL_KEY_0,
        oracles: oracleKeys.map((k) => privateKeyToAccount(k).address),
        threshold: 2,
      });
      const signer: SignerConfig =
        mode === 'owner'
          ? { mode: 'owner', privateKey: ANVIL_KEY_0 }
          : { mode: 'oracle', privateKeys: oracleKeys.slice(0, 2), submitterKey: ANVIL_KEY_1 };
      const oracle = createJwkOracle({
        issuers: [{ issuer: 'https://bench.example', jwksUri }],
        rpcUrl: anvil.url,
        registry,
        signer,
        gracePeriodMs: 0,
        logger: silentLogger,
      });
      published = pool.slice(0, adds);
      let t = performance.now();
      const added = await oracle.reconcileOnce();
      const addMs = performance.now() - t;
      t = performance.now();
      const noop = await oracle.reconcileOnce();
      const noopMs = performance.now() - t;
      published = pool.slice(adds, adds + 1); // rotation: one new key, all previous ones gone
      t = performance.now();
      const rotation = await oracle.reconcileOnce();
      const rotationMs = performance.now() - t;
      results.push({
        mode,
        adds,
        addGas: String(await gasOf(added.txHash)),
        addPassMs: Math.round(addMs),
        noopChanged: noop.changed,
        noopPassMs: Math.round(noopMs),
        rotationRevokes: rotation.issuers[0]?.revoked.length,
        rotationGas: String(await gasOf(rotation.txHash)),
        rotationPassMs: Math.round(rotationMs),
      });
    }
  }
} finally {
  await anvil.stop();
  server.close();
}

// Every package writes its results beside the others', under the repository's bench/results/.
const out = join(fileURLToPath(new URL('../../../bench/results/', import.meta.url)), 'jwk-oracle.json');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, anvilHardfork: 'osaka', results }, null, 2)}\n`,
);
console.table(results);
