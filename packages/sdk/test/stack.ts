import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonRpc, stackReadyDocument, startDevStack } from '@zksso/devstack';
import type { Address } from 'viem';
import { parseEther } from 'viem';
import { inject } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../../devstack/test/support/counting-proxy.ts';
import type { SharedDevStack } from '../../devstack/test/support/shared-stack.ts';
import { createZkSsoClients } from '../src/clients.ts';
import { devStackNetwork, type ZkSsoNetwork } from '../src/network.ts';

// The dev stack of the SDK's integration tests: anvil, contracts, Alto, dev IdP, salt, prover (the smallest
// tier, built into the cache on the first run) and the JWK oracle. By default the ONE stack that the Vitest
// global setup started for every end-to-end project (../../devstack/test/support/shared-stack.ts); a file that
// moves the chain's clock starts its own (`own: true`).

/** A running stack, the SDK network that points at it, and helpers to fund accounts and read the chain. */
export interface SdkTestStack {
  /** The stack's ready document (URLs, addresses, state directory). */
  stack: SharedDevStack;
  network: ZkSsoNetwork;
  /** Adds `ether` (default 1) to an address's balance. */
  fund(to: Address, ether?: string): Promise<void>;
  balance(address: Address): Promise<bigint>;
  /** Prover requests (`POST /v1`) made through this handle's network (another file's logins do not count). */
  proverRequests(): Promise<number>;
  /** Stops what this handle started: its own stack, or only the request counter of the shared one. */
  stop(): Promise<void>;
}

/**
 * The shared stack (default), or with `own: true` a stack of its own in a fresh state directory (first run:
 * minutes for the circuit tier build, with progress on stderr).
 *
 * @example
 * ```ts
 * const t = await startSdkTestStack();
 * await t.fund(account.address, '1');
 * ```
 */
export async function startSdkTestStack(options: { own?: boolean } = {}): Promise<SdkTestStack> {
  if (!options.own) return handle(inject('zksso.devStack'), async () => {});
  const stateDir = mkdtempSync(join(tmpdir(), 'zksso-sdk-stack-'));
  const stack = await startDevStack({
    ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
    stateDir,
    onStatus: (line) => {
      if (/circuit|prover at|ready/.test(line)) process.stderr.write(`devstack: ${line}\n`);
    },
  });
  return handle(stackReadyDocument(stack), async () => {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
}

async function handle(ready: SharedDevStack, stopStack: () => Promise<void>): Promise<SdkTestStack> {
  const prover: CountingProxy = await startCountingProxy(
    ready.urls.prover ?? '',
    (method, path) => method === 'POST' && path === '/v1',
  );
  const network: ZkSsoNetwork = { ...devStackNetwork(ready), proverUrl: prover.url };
  const { publicClient } = await createZkSsoClients(network);
  return {
    stack: ready,
    network,
    // anvil_setBalance rather than a transfer from a dev key: files running at once on the shared stack would
    // race for that key's nonce.
    fund: async (to, ether = '1') => {
      const balance = await publicClient.getBalance({ address: to });
      await jsonRpc(network.rpcUrl, 'anvil_setBalance', [
        to,
        `0x${(balance + parseEther(ether)).toString(16)}`,
      ]);
    },
    balance: (address) => publicClient.getBalance({ address }),
    proverRequests: async () => prover.count(),
    stop: async () => {
      await prover.close();
      await stopStack();
    },
  };
}
