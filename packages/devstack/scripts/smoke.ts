// A login through a running dev stack, end to end: ephemeral key → nonce → ID token from the dev IdP →
// salt → proof from the prover → the proof checked by the deployed tier verifier and the token's key by
// the JwkRegistry. Start the stack with `npm run dev -- --ready-file /tmp/zksso-ready.json`, then:
//   npx tsx packages/devstack/scripts/smoke.ts /tmp/zksso-ready.json
// Prints timings and results only (never the token, salt or randomness).
import { readFileSync } from 'node:fs';
import { groth16VerifierAbi } from '@zksso/contracts';
import { computeNonce, generateRandomness, type ProveResponse, parsePublicInputs } from '@zksso/core';
import { decodeSolidityProof, devLogin } from '@zksso/sdk';
import { type Address, createPublicClient, hexToBigInt, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadArtifact } from '../src/deploy/artifacts.ts';

const readyFile = process.argv[2];
if (!readyFile) {
  process.stderr.write('usage: tsx packages/devstack/scripts/smoke.ts <ready-file>\n');
  process.exit(2);
}
const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {
  urls: { rpc: string; idp: string; salt: string; prover?: string };
  addresses: { jwkRegistry: Address; verifiers: Record<string, Address> };
};
if (!ready.urls.prover) throw new Error('the stack runs without the prover');

const ephemeralPublicKey = {
  type: 'secp256k1' as const,
  address: privateKeyToAccount(generatePrivateKey()).address,
};
const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600);
const randomness = generateRandomness();
const nonce = computeNonce({ ephemeralPublicKey, expiry, randomness });
const jwt = await devLogin({ issuerUrl: ready.urls.idp, user: 'alice', nonce });

const saltAnswer = await fetch(`${ready.urls.salt}/get_salt`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token: jwt }),
});
if (!saltAnswer.ok) throw new Error(`salt service answered ${saltAnswer.status}: ${await saltAnswer.text()}`);
const { salt } = (await saltAnswer.json()) as { salt: string };

const started = performance.now();
const proveAnswer = await fetch(`${ready.urls.prover}/v1`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    jwt,
    ephemeralPublicKey,
    expiry: expiry.toString(),
    jwtRandomness: randomness.toString(),
    salt,
  }),
});
if (!proveAnswer.ok) throw new Error(`prover answered ${proveAnswer.status}: ${await proveAnswer.text()}`);
const proved = (await proveAnswer.json()) as ProveResponse;
const proveSeconds = (performance.now() - started) / 1000;

const client = createPublicClient({ transport: http(ready.urls.rpc) });
const { a, b, c } = decodeSolidityProof(proved.proof);
const verifier = ready.addresses.verifiers[String(proved.tier)];
if (!verifier) throw new Error(`no verifier deployed for tier ${proved.tier}`);
const publicInputs = proved.publicInputs.map((x) => hexToBigInt(x)) as [
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
  bigint,
];
const named = parsePublicInputs(proved.publicInputs);
const onChain = await client.readContract({
  address: verifier,
  abi: groth16VerifierAbi,
  functionName: 'verifyProof',
  args: [a, b, c, publicInputs],
});
const keyRegistered = await client.readContract({
  address: ready.addresses.jwkRegistry,
  abi: loadArtifact('JwkRegistry').abi,
  functionName: 'isValidKey',
  // By name (@zksso/core's parsePublicInputs), never by position.
  args: [named.issHash, named.modulusHash],
});
console.log(
  JSON.stringify({
    tier: proved.tier,
    proveSeconds: Number(proveSeconds.toFixed(1)),
    verifierAccepts: onChain,
    keyRegistered,
  }),
);
if (!onChain || !keyRegistered) process.exit(1);
