import { hashIssuer } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { type Hex, hashTypedData } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OracleQuorumError } from '../src/errors.ts';
import { createJwkOracle, type JwkOracleConfig } from '../src/oracle.ts';
import { Action, jwkBatchTypes, jwkRegistryAbi, jwkRegistryDomain } from '../src/registry-abi.ts';
import { localOracleSigner, type OracleSigner } from '../src/signers.ts';
import { ANVIL_KEY_0, ANVIL_KEY_1, deployRegistry, startAnvil, type TestAnvil } from './harness.ts';
import { isValidKey, memoryLogger, publishedModulusHashes } from './helpers.ts';

const ANVIL_PORT = 21903;

describe('JWK oracle in oracle-signature mode (2-of-3)', () => {
  let anvil: TestAnvil;
  let idp: DevIdp;
  const oracleKeys: Hex[] = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
  const oracleAddresses = oracleKeys.map((k) => privateKeyToAccount(k).address);

  beforeAll(async () => {
    anvil = await startAnvil(ANVIL_PORT);
    idp = await startDevIdp();
  });
  afterAll(async () => {
    await idp?.stop();
    await anvil?.stop();
  });

  const deploy = () =>
    deployRegistry(anvil, { ownerKey: ANVIL_KEY_0, oracles: oracleAddresses, threshold: 2 });
  /** An oracle-mode oracle on the dev IdP signing with `keys` (local and remote), submitted by anvil account 1. */
  const oracleWith = (
    registry: Hex,
    keys: { privateKeys: Hex[]; signers?: OracleSigner[] },
    options: Partial<JwkOracleConfig> = {},
  ) =>
    createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'oracle', ...keys, submitterKey: ANVIL_KEY_1 },
      logger: memoryLogger().logger,
      ...options,
    });
  const nonceOf = (registry: Hex) =>
    anvil.publicClient.readContract({ address: registry, abi: jwkRegistryAbi, functionName: 'nonce' });

  it('signs the same EIP-712 digest as the registry computes', async () => {
    const registry = await deploy();
    const updates = [
      { action: Action.Add, issHash: 7n, modulusHash: 11n, replacement: 0n },
      { action: Action.Revoke, issHash: 7n, modulusHash: 13n, replacement: 0n },
    ];
    const onChain = await anvil.publicClient.readContract({
      address: registry,
      abi: jwkRegistryAbi,
      functionName: 'batchDigest',
      args: [updates, 5n],
    });
    const local = hashTypedData({
      domain: jwkRegistryDomain(await anvil.publicClient.getChainId(), registry),
      types: jwkBatchTypes,
      primaryType: 'JwkBatch',
      message: { updates, nonce: 5n },
    });
    expect(local).toBe(onChain);
  });

  it('applies batches signed by 2 of the 3 oracle keys, with sequential nonces', async () => {
    const registry = await deploy();
    const issHash = hashIssuer(idp.issuer);
    const oracle = oracleWith(
      registry,
      { privateKeys: [oracleKeys[0] as Hex, oracleKeys[2] as Hex] },
      { gracePeriodMs: 0 },
    );
    const first = await oracle.reconcileOnce();
    expect(first.changed).toBe(true);
    expect(await nonceOf(registry)).toBe(1n);
    const [k1] = await publishedModulusHashes(idp.jwksUri);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);

    expect((await oracle.reconcileOnce()).changed).toBe(false);
    expect(await nonceOf(registry)).toBe(1n);

    await idp.rotateKeys({ overlapMs: 0 });
    const [k2] = await publishedModulusHashes(idp.jwksUri);
    const rotated = await oracle.reconcileOnce();
    expect(rotated.issuers[0]?.revoked).toEqual([k1]);
    expect(await nonceOf(registry)).toBe(2n);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(false);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k2 as bigint)).toBe(true);
  });

  it('gathers a remote peer signature through the OracleSigner interface', async () => {
    const registry = await deploy();
    const issHash = hashIssuer(idp.issuer);
    const peer = localOracleSigner(oracleKeys[1] as Hex);
    let peerCalls = 0;
    const oracle = oracleWith(registry, {
      privateKeys: [oracleKeys[0] as Hex],
      signers: [
        {
          address: peer.address,
          signBatch: (typedData) => {
            peerCalls++;
            return peer.signBatch(typedData);
          },
        },
      ],
    });
    expect((await oracle.reconcileOnce()).changed).toBe(true);
    expect(peerCalls).toBe(1);
    for (const hash of await publishedModulusHashes(idp.jwksUri)) {
      expect(await isValidKey(anvil.publicClient, registry, issHash, hash)).toBe(true);
    }
  });

  it('refuses to submit without a quorum (one oracle key, plus one key outside the set)', async () => {
    const registry = await deploy();
    const oracle = oracleWith(
      registry,
      { privateKeys: [oracleKeys[1] as Hex, generatePrivateKey()] },
      { chainRetry: { attempts: 3, baseDelayMs: 5 } },
    );
    const failure = await oracle.reconcileOnce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OracleQuorumError);
    expect((failure as OracleQuorumError).code).toBe('JWK_ORACLE_QUORUM');
    expect((failure as OracleQuorumError).details).toMatchObject({ have: 1, required: 2 });
    expect(await nonceOf(registry)).toBe(0n);
  });
});
