// Times the core primitives (ms per call, median of runs) and writes bench/results/core.json at the repo root.
// Run: npm run bench -w @zksso/core
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256, toHex } from 'viem';
import {
  computeIdentityCommitment,
  computeNonce,
  createP256EphemeralKey,
  createSecp256k1EphemeralKey,
  generateRandomness,
  hashBytes,
  poseidonHash,
} from '../src/index.ts';

async function time(name: string, iterations: number, fn: () => unknown): Promise<[string, number]> {
  for (let i = 0; i < Math.min(iterations, 20); i++) await fn();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    runs.push((performance.now() - start) / iterations);
  }
  runs.sort((a, b) => a - b);
  return [name, Number((runs[2] as number).toFixed(4))];
}

const secp = createSecp256k1EphemeralKey();
const p256 = await createP256EphemeralKey();
const hash = keccak256(toHex('bench'));
const identity = {
  keyClaimName: 'sub',
  keyClaimValue: '110463452167303598383',
  aud: '575519204237-msop9ep45u2uo98hapqmngv8d84qdc8k.apps.googleusercontent.com',
  iss: 'https://accounts.google.com',
  salt: generateRandomness(),
};
const results = Object.fromEntries([
  await time('poseidonHash_2_ms', 2000, () => poseidonHash([1n, 2n])),
  await time('poseidonHash_16_ms', 200, () => poseidonHash(Array.from({ length: 16 }, (_, i) => BigInt(i)))),
  await time('hashBytes_124_ms', 500, () => hashBytes(identity.aud, 124)),
  await time('computeIdentityCommitment_ms', 200, () => computeIdentityCommitment(identity)),
  await time('computeNonce_ms', 500, () =>
    computeNonce({ ephemeralPublicKey: secp.publicKey, expiry: 1_900_000_000n, randomness: 1n }),
  ),
  await time('secp256k1_sign_ms', 100, () => secp.sign(hash)),
  await time('p256_webcrypto_sign_ms', 100, () => p256.sign(hash)),
]);

const out = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/results/core.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ package: '@zksso/core', node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(results);
