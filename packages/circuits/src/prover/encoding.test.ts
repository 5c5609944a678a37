import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { createPublicClient, createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFixture, tempDir } from '../../test/helpers.ts';
import { devSetup } from '../setup/dev-setup.ts';
import { renderVerifierContract } from '../solidity/verifier.ts';
import {
  decodeProof,
  decodePublicSignals,
  ENCODED_PROOF_BYTES,
  encodeProof,
  encodePublicSignals,
  ProofEncodingError,
  type SnarkjsProof,
} from './encoding.ts';
import { snarkjsEngine } from './engine.ts';
import { proveZkLogin, verifyZkLogin } from './zklogin.ts';

const require = createRequire(import.meta.url);
// Anvil's first well-known development account.
const ANVIL_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

function compileSolidity(source: string, name: string): { abi: unknown[]; bytecode: Hex } {
  const solc = require('solc');
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'Verifier.sol': { content: source } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          outputSelection: { '*': { '*': ['abi', 'evm.bytecode'] } },
        },
      }),
    ),
  );
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const contract = output.contracts['Verifier.sol'][name];
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

async function startAnvil(): Promise<{ url: string; process: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // The platform package holds the real binary (the `anvil` bin is a Node wrapper that would outlive kill()).
  const platform = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const bin = join(require.resolve(`${platform}/package.json`), '..', 'bin', 'anvil');
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--silent'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ chain: foundry, transport: http(url) });
  for (let i = 0; i < 100; i++) {
    try {
      await client.getChainId();
      return { url, process: child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('anvil did not start');
}

describe('proof encoding (protocol §10)', () => {
  let dir: string;
  let wasmPath: string;
  let zkeyPath: string;
  let vkey: Awaited<ReturnType<typeof snarkjs.zKey.exportVerificationKey>>;
  let proof: SnarkjsProof;
  let publicSignals: string[];
  let anvil: { url: string; process: ChildProcess } | undefined;

  beforeAll(async () => {
    dir = await tempDir('encoding');
    const compiled = await compileFixture('small', dir);
    wasmPath = compiled.wasmPath;
    zkeyPath = join(dir, 'small.development.zkey');
    await devSetup({ r1csPath: compiled.r1csPath, zkeyPath });
    vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
    ({ proof, publicSignals } = await snarkjsEngine.prove({ wasmPath, zkeyPath }, { a: 4, b: 9, c: 16 }));
  });

  afterAll(() => {
    anvil?.process.kill();
  });

  it('encodes 256 bytes with b in EIP-197 order and decodes back to a verifying proof', async () => {
    const encoded = encodeProof(proof);
    expect(encoded).toMatch(/^0x[0-9a-f]{512}$/);
    expect((encoded.length - 2) / 2).toBe(ENCODED_PROOF_BYTES);
    const word = (i: number) => BigInt(`0x${encoded.slice(2 + 64 * i, 2 + 64 * (i + 1))}`).toString();
    expect([word(0), word(1)]).toEqual(proof.pi_a.slice(0, 2));
    expect([word(2), word(3), word(4), word(5)]).toEqual([
      proof.pi_b[0]?.[1],
      proof.pi_b[0]?.[0],
      proof.pi_b[1]?.[1],
      proof.pi_b[1]?.[0],
    ]);
    expect([word(6), word(7)]).toEqual(proof.pi_c.slice(0, 2));
    const decoded = decodeProof(encoded);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, decoded)).toBe(true);
    expect(encodeProof(decoded)).toBe(encoded);
  });

  it('encodes public signals as 32-byte big-endian hex and back', () => {
    const hex = encodePublicSignals(publicSignals);
    for (const h of hex) expect(h).toMatch(/^0x[0-9a-f]{64}$/);
    expect(decodePublicSignals(hex)).toEqual(publicSignals);
    expect(() => encodePublicSignals([(2n ** 254n).toString()])).toThrow(ProofEncodingError);
  });

  it('rejects malformed encodings', () => {
    expect(() => decodeProof('0x1234')).toThrow(ProofEncodingError);
    expect(() => decodeProof(`0x${'ff'.repeat(256)}`)).toThrow(ProofEncodingError);
  });

  it('proveZkLogin / verifyZkLogin work on the encoded form', async () => {
    const result = await proveZkLogin({
      artifacts: { wasmPath, zkeyPath },
      input: { a: 1, b: 2, c: 3 },
      vkey,
    });
    expect(await verifyZkLogin({ vkey, ...result })).toBe(true);
    const tampered = [...result.publicInputs];
    tampered[2] = encodePublicSignals([4n])[0] as `0x${string}`;
    expect(await verifyZkLogin({ vkey, proof: result.proof, publicInputs: tampered })).toBe(false);
  });

  it('the generated Solidity verifier accepts the encoded proof and rejects a tampered input', async () => {
    const source = await renderVerifierContract({ zkeyPath, tier: 99, keyType: 'development' });
    const { abi, bytecode } = compileSolidity(source, 'ZkLoginVerifier99');
    anvil = await startAnvil();
    const account = privateKeyToAccount(ANVIL_KEY);
    const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.url) });
    const client = createPublicClient({ chain: foundry, transport: http(anvil.url) });
    const hash = await wallet.deployContract({ abi, bytecode });
    const address = (await client.waitForTransactionReceipt({ hash })).contractAddress as Hex;

    // Split §10's bytes into the verifier's arguments exactly as a validator contract would.
    const encoded = encodeProof(proof);
    const w = (i: number) => BigInt(`0x${encoded.slice(2 + 64 * i, 2 + 64 * (i + 1))}`);
    const args = (inputs: readonly string[]) =>
      [
        [w(0), w(1)],
        [
          [w(2), w(3)],
          [w(4), w(5)],
        ],
        [w(6), w(7)],
        inputs.map((s) => BigInt(s)),
      ] as const;
    const verify = (inputs: readonly string[]) =>
      client.readContract({
        address,
        abi,
        functionName: 'verifyProof',
        args: args(inputs) as unknown as unknown[],
      });
    expect(await verify(encodePublicSignals(publicSignals))).toBe(true);
    expect(
      await verify(encodePublicSignals([publicSignals[0] as string, '5', publicSignals[2] as string])),
    ).toBe(false);
    expect(await client.readContract({ address, abi, functionName: 'DEVELOPMENT_KEY' })).toBe(true);
  });
});
