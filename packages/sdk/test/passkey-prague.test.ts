import { http } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The contracts package's test chain takes a hardfork; the dev stack always runs osaka.
import { startTestChain, type TestChain } from '../../contracts/test/harness/chain.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { createZkSsoClients } from '../src/clients.ts';
import type { ZkSsoNetwork } from '../src/network.ts';
import { createPasskeyAccount } from '../src/passkey/createPasskeyAccount.ts';
import { hasP256Precompile } from '../src/passkey/precompile.ts';
import { createSoftwareAuthenticator } from '../src/passkey/software-authenticator.ts';

// The P-256 precompile probed at runtime: the same passkey flow on anvil osaka (precompile at 0x100) and anvil
// prague (none: the WebAuthnValidator falls back to OpenZeppelin's Solidity P-256), each with the contracts and
// Alto. The SDK's gas limits must cover the fallback, and the fallback must really be what ran there.

const RP_ID = 'wallet.zksso.test';
const ORIGIN = 'https://wallet.zksso.test';

function networkOf(chain: TestChain): ZkSsoNetwork {
  return {
    chainId: chain.chain.id,
    rpcUrl: chain.rpcUrl,
    bundlerUrl: chain.bundlerUrl,
    saltUrl: '',
    proverUrl: '',
    clientIds: [],
    local: true,
    addresses: {
      entryPoint: chain.deployment.entryPoint,
      factory: chain.deployment.accountFactory,
      zkLoginValidator: chain.deployment.zkLoginValidator,
      sessionKeyValidator: chain.deployment.sessionKeyValidator,
      webAuthnValidator: chain.deployment.webAuthnValidator,
      jwkRegistry: chain.deployment.jwkRegistry,
    },
  };
}

/** Signs up, deploys with a first send, sends again; returns the gas of both operations and the probe's answer. */
async function passkeyFlow(chain: TestChain) {
  const network = networkOf(chain);
  const { publicClient } = await createZkSsoClients(network);
  const authenticator = createSoftwareAuthenticator({ origin: ORIGIN });
  const { account } = await createPasskeyAccount({ network, rpId: RP_ID, name: 'alice', authenticator });
  await chain.fund(account.address, '1');
  const to = privateKeyToAccount(generatePrivateKey()).address;
  const bundler = createBundlerClient({ client: publicClient, transport: http(network.bundlerUrl) });
  const gasOf = async (userOpHash: `0x${string}`) =>
    (await bundler.getUserOperationReceipt({ hash: userOpHash })).actualGasUsed;
  const first = await sendCalls({ network, account, calls: [{ to, value: 1n }] });
  const second = await sendCalls({ network, account, calls: [{ to, value: 2n }] });
  expect(first.success && second.success).toBe(true);
  expect(await publicClient.getBalance({ address: to })).toBe(3n);
  return {
    precompile: await hasP256Precompile(publicClient),
    deployGas: await gasOf(first.userOpHash),
    sendGas: await gasOf(second.userOpHash),
  };
}

describe('passkey accounts with and without the P-256 precompile', () => {
  let osaka: TestChain;
  let prague: TestChain;
  beforeAll(async () => {
    osaka = await startTestChain({ hardfork: 'osaka' });
    prague = await startTestChain({ hardfork: 'prague' });
  });
  afterAll(async () => {
    await Promise.all([osaka?.stop(), prague?.stop()]);
  });

  it('sends on both chains; on prague the Solidity fallback verifies (and costs its ~240 k more)', async () => {
    const withPrecompile = await passkeyFlow(osaka);
    const fallback = await passkeyFlow(prague);
    expect(withPrecompile.precompile).toBe(true);
    expect(fallback.precompile).toBe(false);
    // Figures for the report (gas is deterministic; no timing here).
    process.stderr.write(
      `passkey gas: osaka deploy ${withPrecompile.deployGas} send ${withPrecompile.sendGas}; prague deploy ${fallback.deployGas} send ${fallback.sendGas}\n`,
    );
    expect(fallback.sendGas - withPrecompile.sendGas).toBeGreaterThan(150_000n);
  });
});
