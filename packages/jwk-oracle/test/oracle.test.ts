import { hashIssuer } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';

import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwkOracle } from '../src/oracle.ts';
import { KeyStatus } from '../src/registry-abi.ts';
import {
  ANVIL_KEY_0,
  ANVIL_KEY_1,
  deployRegistry,
  startAnvil,
  startFlakyProxy,
  type TestAnvil,
} from './harness.ts';
import { FAST_RETRY, isValidKey, memoryLogger, publishedModulusHashes, statusOf } from './helpers.ts';

const ANVIL_PORT = 21900;

describe('JWK oracle (owner mode, dev IdP, anvil)', () => {
  let anvil: TestAnvil;
  const idps: DevIdp[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    anvil = await startAnvil(ANVIL_PORT);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const idp of idps) await idp.stop();
    await anvil?.stop();
  });

  async function setup() {
    const idp = await startDevIdp();
    idps.push(idp);
    const registry = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    return { idp, registry, issHash: hashIssuer(idp.issuer) };
  }

  it('anvil key 1 is the funded second account', () => {
    expect(privateKeyToAccount(ANVIL_KEY_1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  it('registers the IdP keys on the first pass (discovery), then does nothing', async () => {
    const { idp, registry, issHash } = await setup();
    const log = memoryLogger();
    const oracle = createJwkOracle({
      issuers: [idp.issuer],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_0 },
      gracePeriodMs: 0,
      logger: log.logger,
    });
    const expected = await publishedModulusHashes(idp.jwksUri);
    expect(expected.length).toBeGreaterThan(0);
    for (const hash of expected)
      expect(await isValidKey(anvil.publicClient, registry, issHash, hash)).toBe(false);

    const first = await oracle.reconcileOnce();
    expect(first.ok).toBe(true);
    expect(first.changed).toBe(true);
    expect(first.issuers[0]?.added.map((k) => k.modulusHash).sort()).toEqual([...expected].sort());
    for (const hash of expected)
      expect(await isValidKey(anvil.publicClient, registry, issHash, hash)).toBe(true);
    expect(log.lines.some((l) => l.event === 'jwk.added' && l.fields.kid === idp.signingKid())).toBe(true);

    const block = await anvil.publicClient.getBlockNumber();
    const second = await oracle.reconcileOnce();
    expect(second.ok).toBe(true);
    expect(second.changed).toBe(false);
    expect(second.txHash).toBeUndefined();
    expect(await anvil.publicClient.getBlockNumber()).toBe(block);
    expect(oracle.metrics()).toMatchObject({
      passes: 2,
      keysAdded: expected.length,
      transactions: 1,
      lastPassOk: true,
    });
    expect(log.text()).not.toContain(ANVIL_KEY_0.slice(2));
  });

  it('adds a rotated-in key at once and revokes the old one only after the grace period', async () => {
    const { idp, registry, issHash } = await setup();
    let clock = 1_000_000;
    const grace = 60_000;
    const oracle = createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_0 },
      gracePeriodMs: grace,
      now: () => clock,
      logger: memoryLogger().logger,
    });
    const [k1] = await publishedModulusHashes(idp.jwksUri);
    await oracle.reconcileOnce();

    // The provider publishes the next key early and keeps the old one: both stay valid.
    await idp.rotateKeys({ overlapMs: 3_600_000 });
    const both = await publishedModulusHashes(idp.jwksUri);
    const k2 = both.find((h) => h !== k1) as bigint;
    const afterOverlap = await oracle.reconcileOnce();
    expect(afterOverlap.issuers[0]?.added.map((k) => k.modulusHash)).toEqual([k2]);
    expect(afterOverlap.issuers[0]?.pendingRevocations).toEqual([]);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k2)).toBe(true);

    // Both old keys leave the JWKS: the new one is added, the old ones wait for the grace period.
    await idp.rotateKeys({ overlapMs: 0 });
    const [k3] = await publishedModulusHashes(idp.jwksUri);
    const rotated = await oracle.reconcileOnce();
    expect(rotated.issuers[0]?.added.map((k) => k.modulusHash)).toEqual([k3]);
    expect(rotated.issuers[0]?.revoked).toEqual([]);
    expect(rotated.issuers[0]?.pendingRevocations.map((p) => p.modulusHash).sort()).toEqual([k1, k2].sort());
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);

    clock += grace - 1;
    const early = await oracle.reconcileOnce();
    expect(early.changed).toBe(false);

    clock += 1;
    const late = await oracle.reconcileOnce();
    expect(late.changed).toBe(true);
    expect([...(late.issuers[0]?.revoked ?? [])].sort()).toEqual([k1, k2].sort());
    expect(await statusOf(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(KeyStatus.Revoked);
    expect(await statusOf(anvil.publicClient, registry, issHash, k2)).toBe(KeyStatus.Revoked);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k3 as bigint)).toBe(true);
    expect((await oracle.reconcileOnce()).changed).toBe(false);
  });

  it('survives provider outages: retries, never revokes on a failed fetch, converges afterwards', async () => {
    const { idp, registry, issHash } = await setup();
    const proxy = await startFlakyProxy(idp.url);
    cleanups.push(proxy.down);
    const oracle = createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: `${proxy.url}/jwks` }],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_0 },
      gracePeriodMs: 0,
      fetchTimeoutMs: 300,
      fetchRetry: FAST_RETRY,
      logger: memoryLogger().logger,
    });

    // Transient 500s: retried within the pass, which then succeeds.
    proxy.failNext(2, 'http-500');
    const before = proxy.requests();
    const first = await oracle.reconcileOnce();
    expect(first.ok).toBe(true);
    expect(proxy.requests() - before).toBe(3);
    const [k1] = await publishedModulusHashes(idp.jwksUri);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);

    // The provider rotates, then fails in every way: nothing is revoked even with a zero grace period.
    await idp.rotateKeys({ overlapMs: 0 });
    for (const mode of ['http-500', 'bad-json', 'hang'] as const) {
      proxy.failNext(FAST_RETRY.attempts, mode);
      const report = await oracle.reconcileOnce();
      expect(report.ok).toBe(false);
      expect(report.issuers[0]?.status).toBe('fetch-failed');
      expect(report.issuers[0]?.error).toMatch(
        mode === 'hang' ? /timed out/ : mode === 'bad-json' ? /not JSON/ : /HTTP 500/,
      );
      expect(report.issuers[0]?.revoked).toEqual([]);
      expect(report.changed).toBe(false);
      expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);
    }
    await proxy.down();
    const down = await oracle.reconcileOnce();
    expect(down.issuers[0]?.status).toBe('fetch-failed');
    expect(down.issuers[0]?.keys.map((k) => k.modulusHash)).toEqual([k1]); // last known good set kept
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);
    expect(oracle.metrics().fetchFailures).toBe(4);

    await proxy.up();
    const [k2] = await publishedModulusHashes(idp.jwksUri);
    const recovered = await oracle.reconcileOnce();
    expect(recovered.ok).toBe(true);
    expect(recovered.issuers[0]?.added.map((k) => k.modulusHash)).toEqual([k2]);
    expect(recovered.issuers[0]?.revoked).toEqual([k1]);
    expect(await statusOf(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(KeyStatus.Revoked);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k2 as bigint)).toBe(true);
  });

  it('runs as a loop with /health and /metrics until stopped', async () => {
    const { idp, registry, issHash } = await setup();
    const oracle = createJwkOracle({
      issuers: [idp.issuer],
      rpcUrl: anvil.url,
      registry,
      signer: { mode: 'owner', privateKey: ANVIL_KEY_0 },
      pollIntervalMs: 50,
      healthPort: 0,
      logger: memoryLogger().logger,
    });
    await oracle.start();
    cleanups.push(oracle.stop);
    const [k1] = await publishedModulusHashes(idp.jwksUri);
    for (let i = 0; i < 600 && oracle.metrics().passes < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(oracle.metrics().passes).toBeGreaterThanOrEqual(3);
    expect(await isValidKey(anvil.publicClient, registry, issHash, k1 as bigint)).toBe(true);
    const health = await fetch(`${oracle.healthUrl()}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      version: 'zksso/v1',
      keysAdded: 1,
      transactions: 1,
    });
    const metrics = await (await fetch(`${oracle.healthUrl()}/metrics`)).text();
    expect(metrics).toContain('zksso_jwk_oracle_keys_added_total 1');
    await oracle.stop();
    const passes = oracle.metrics().passes;
    await new Promise((r) => setTimeout(r, 200));
    expect(oracle.metrics().passes).toBe(passes);
    expect(oracle.healthUrl()).toBeUndefined();
  });
});
