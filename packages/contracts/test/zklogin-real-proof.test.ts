// A zkSSO OpenID account opened with a REAL zkLogin proof (tier 1024, DEVELOPMENT key from @zksso/circuits)
// through Alto on anvil: the first user operation deploys the account and registers the ephemeral key with the
// proof (mode 0x01), the next one carries the ephemeral signature only (mode 0x02), and a proof with one byte
// changed is refused. A cold run builds the tier (compile + setup, tens of minutes); a proof takes 1-3 minutes.
import { ensureTierArtifacts, type TierArtifacts } from '@zksso/circuits';
import { decodeSolidityProof, toZkSsoOpenIdAccount } from '@zksso/sdk';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zkLoginValidatorAbi } from '../src/index.ts';
import { startTestChain, type TestChain } from './harness/chain.ts';
import { compileTierVerifier, proveRealZkLogin, type RealZkLogin } from './harness/real-proof.ts';
import { addJwk, keyIdOf, openIdAccountParameters } from './harness/zklogin.ts';

const TIER = 1024;

describe(`OpenID account with a real tier ${TIER} zkLogin proof through Alto`, () => {
  let artifacts: TierArtifacts;
  let chain: TestChain;
  let target: Address;

  // A cold machine compiles the circuit and runs the development setup here: the hook gets an hour.
  beforeAll(async () => {
    artifacts = await ensureTierArtifacts(TIER, { log: (line) => console.log(line) });
    const bytecode = await compileTierVerifier(artifacts);
    chain = await startTestChain({ verifiers: [{ tier: TIER, bytecode }] });
    target = privateKeyToAccount(generatePrivateKey()).address;
  }, 3_600_000);

  afterAll(async () => {
    await chain?.stop();
  });

  async function send(account: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>, value: bigint) {
    const hash = await chain.bundlerClient.sendUserOperation({ account, calls: [{ to: target, value }] });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  it('opens the account with the proof, then runs an operation with the ephemeral key only', async () => {
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const expiry = (await chain.publicClient.getBlock()).timestamp + 3600n;
    const login: RealZkLogin = await proveRealZkLogin({ artifacts, ephemeral: ephemeral.address, expiry });
    await addJwk(chain, login.issHash, login.proofParts.modulusHash);

    const common = openIdAccountParameters(chain, { issHash: login.issHash, idc: login.idc, ephemeral });
    const withProof = await toZkSsoOpenIdAccount({ ...common, proof: login.proofParts });
    const keyOnly = await toZkSsoOpenIdAccount(common);
    expect(keyOnly.address).toBe(withProof.address);
    expect(await chain.publicClient.getCode({ address: withProof.address })).toBeUndefined();
    await chain.fund(withProof.address, '1');

    const first = await send(withProof, 1000n);
    expect(first.success).toBe(true);
    expect(await chain.publicClient.getCode({ address: withProof.address })).toMatch(/^0x.+/);
    const [storedExpiry, revoked] = await chain.publicClient.readContract({
      address: chain.deployment.zkLoginValidator,
      abi: zkLoginValidatorAbi,
      functionName: 'keyOf',
      args: [withProof.address, keyIdOf(ephemeral)],
    });
    expect(BigInt(storedExpiry)).toBe(expiry);
    expect(revoked).toBe(false);

    const second = await send(keyOnly, 2000n);
    expect(second.success).toBe(true);
    expect(await chain.publicClient.getBalance({ address: target })).toBe(3000n);
    // The key-only operation skips the deployment and the pairing check.
    expect(second.actualGasUsed).toBeLessThan(first.actualGasUsed);
    console.log(
      `tier ${TIER} real proof: first op (deploy + proof) actualGasUsed ${first.actualGasUsed}, ` +
        `second op (key only) actualGasUsed ${second.actualGasUsed}`,
    );

    // One changed byte (the low byte of c.y) makes the Groth16 check fail: the EntryPoint refuses the op.
    const tampered = `${login.encodedProof.slice(0, -2)}${(
      (Number.parseInt(login.encodedProof.slice(-2), 16) ^ 0x01) &
      0xff
    )
      .toString(16)
      .padStart(2, '0')}` as Hex;
    const forged = await toZkSsoOpenIdAccount({
      ...common,
      proof: { ...login.proofParts, proof: decodeSolidityProof(tampered) },
    });
    // Explicit gas limits skip estimation, so that Alto's own validation (simulateValidation) answers.
    const error = await chain.bundlerClient
      .sendUserOperation({
        account: forged,
        calls: [{ to: target, value: 1n }],
        callGasLimit: 100_000n,
        verificationGasLimit: 1_000_000n,
        preVerificationGas: 200_000n,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/AA24 signature error/);
    expect(await chain.publicClient.getBalance({ address: target })).toBe(3000n);
  }, 900_000);
});
