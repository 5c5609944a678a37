import { hashIssuer } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OracleChainError } from '../src/errors.ts';
import { createJwkOracle } from '../src/oracle.ts';
import { jwkRegistryAbi, KeyStatus } from '../src/registry-abi.ts';
import {
  ANVIL_KEY_0,
  ANVIL_KEY_1,
  deployRegistry,
  startAnvil,
  startFlakyProxy,
  type TestAnvil,
  walletFor,
} from './harness.ts';
import { FAST_RETRY, isValidKey, memoryLogger, publishedModulusHashes, statusOf } from './helpers.ts';

const ANVIL_PORT = 21901;

describe('JWK oracle against chain failures', () => {
  let anvil: TestAnvil;
  let idp: DevIdp;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    anvil = await startAnvil(ANVIL_PORT);
    idp = await startDevIdp();
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await idp?.stop();
    await anvil?.stop();
  });

  it('retries a failing RPC within a pass; a pass whose receipt was lost converges on the next pass', async () => {
    const registry = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    const rpcProxy = await startFlakyProxy(anvil.url);
    cleanups.push(rpcProxy.down);
    const issHash = hashIssuer(idp.issuer);
    const base = {
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl: rpcProxy.url,
      registry,
      signer: { mode: 'owner' as const, privateKey: ANVIL_KEY_0 },
      gracePeriodMs: 0,
      logger: memoryLogger().logger,
    };

    // Two failed transaction submissions, then success within the same pass.
    rpcProxy.failNext(2, 'http-500', (body) => body.includes('eth_sendRawTransaction'));
    const oracle = createJwkOracle({ ...base, chainRetry: FAST_RETRY });
    const report = await oracle.reconcileOnce();
    expect(report.changed).toBe(true);
    expect(rpcProxy.pendingFailures()).toBe(0);
    const [k1] = await publishedModulusHashes(idp.jwksUri);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);

    // The batch is mined but its receipt never arrives: the pass fails, the next one finds nothing left to do.
    await idp.rotateKeys({ overlapMs: 0 });
    const [k2] = await publishedModulusHashes(idp.jwksUri);
    const once = createJwkOracle({ ...base, chainRetry: { attempts: 1 }, receiptTimeoutMs: 1_000 });
    rpcProxy.failNext(1_000_000, 'http-500', (body) => body.includes('eth_getTransactionReceipt'));
    const failure = await once.reconcileOnce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OracleChainError);
    expect((failure as OracleChainError).code).toBe('JWK_ORACLE_CHAIN_FAILED');
    expect((failure as OracleChainError).details.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    rpcProxy.failNext(0, 'http-500');
    const next = await once.reconcileOnce();
    expect(next.ok).toBe(true);
    expect(next.changed).toBe(false);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k2 as bigint)).toBe(true);
    expect(await statusOf(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(KeyStatus.Revoked);
  });

  it('fails clearly while anvil is down and converges once it is back', async () => {
    const registry = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    const issHash = hashIssuer(idp.issuer);
    const oracle = createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_0 },
      gracePeriodMs: 0,
      chainRetry: FAST_RETRY,
      rpcTimeoutMs: 2_000,
      logger: memoryLogger().logger,
    });
    const first = await oracle.reconcileOnce();
    expect(first.changed).toBe(true);
    const [k1] = await publishedModulusHashes(idp.jwksUri);

    await idp.rotateKeys({ overlapMs: 0 });
    const [k2] = await publishedModulusHashes(idp.jwksUri);
    await anvil.crash();
    const failure = await oracle.reconcileOnce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OracleChainError);
    expect((failure as OracleChainError).message).toMatch(/^JwkRegistry read failed: /);
    expect(oracle.metrics()).toMatchObject({ chainFailures: 1, lastPassOk: false });

    await anvil.restart();
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true); // state survived
    const recovered = await oracle.reconcileOnce();
    expect(recovered.ok).toBe(true);
    expect(recovered.issuers[0]?.added.map((k) => k.modulusHash)).toEqual([k2]);
    expect(recovered.issuers[0]?.revoked).toEqual([k1]);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k2 as bigint)).toBe(true);
    expect((await oracle.reconcileOnce()).changed).toBe(false);
  });

  it('reports a revert by name without retrying it, and converges once the key is authorised', async () => {
    const registry = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    const issHash = hashIssuer(idp.issuer);
    const log = memoryLogger();
    const oracle = createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_1 }, // not the owner yet
      chainRetry: FAST_RETRY,
      logger: log.logger,
    });
    const failure = await oracle.reconcileOnce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OracleChainError);
    expect((failure as OracleChainError).message).toContain('reverted with OwnableUnauthorizedAccount(');
    expect((failure as OracleChainError).details.revert).toBe('OwnableUnauthorizedAccount');
    expect(log.lines.filter((l) => l.event === 'chain.retry')).toEqual([]);

    // Ownership moves to the oracle's key (Ownable2Step): the next pass registers the keys.
    const oldOwner = await walletFor(anvil, ANVIL_KEY_0);
    const newOwner = await walletFor(anvil, ANVIL_KEY_1);
    await anvil.publicClient.waitForTransactionReceipt({
      hash: await oldOwner.writeContract({
        address: registry,
        abi: jwkRegistryAbi,
        functionName: 'transferOwnership',
        args: [newOwner.account.address],
      }),
    });
    await anvil.publicClient.waitForTransactionReceipt({
      hash: await newOwner.writeContract({
        address: registry,
        abi: jwkRegistryAbi,
        functionName: 'acceptOwnership',
      }),
    });
    const report = await oracle.reconcileOnce();
    expect(report.changed).toBe(true);
    for (const hash of await publishedModulusHashes(idp.jwksUri)) {
      expect(await isValidKey(anvil.publicClient, registry, issHash, hash)).toBe(true);
    }
  });
});
