import { loadArtifact } from '@zksso/devstack/deploy';
import { createSoftwarePasskey, rpIdHash, type SoftwarePasskey } from '@zksso/sdk';
import type { Address } from 'viem';
import type { TestChain } from './chain.ts';

// Passkey-account helpers shared by the on-chain passkey tests: one relying party, and the factory's
// createPasskeyAccount arguments and predicted address for a software passkey.

/** Relying party of the on-chain passkey tests. */
export const TEST_RP_ID = 'wallet.zksso.test';
/** Origin of the on-chain passkey tests. */
export const TEST_ORIGIN = 'https://wallet.zksso.test';

/**
 * A software passkey for {@link TEST_RP_ID} and {@link TEST_ORIGIN}.
 *
 * @example
 * const passkey = testPasskey();
 */
export function testPasskey(privateKey?: Uint8Array): SoftwarePasskey {
  return createSoftwarePasskey({
    rpId: TEST_RP_ID,
    origin: TEST_ORIGIN,
    ...(privateKey ? { privateKey } : {}),
  });
}

/**
 * The factory's `createPasskeyAccount(credentialId, x, y, origin, rpIdHash)` arguments for `passkey`.
 *
 * @example
 * await walletClient.writeContract({ address: factory, abi, functionName: 'createPasskeyAccount', args: createPasskeyAccountArgs(passkey) });
 */
export function createPasskeyAccountArgs(passkey: SoftwarePasskey) {
  return [
    passkey.credentialId,
    passkey.publicKey.x,
    passkey.publicKey.y,
    TEST_ORIGIN,
    rpIdHash(TEST_RP_ID),
  ] as const;
}

/**
 * The passkey account address the chain's factory predicts for `passkey`.
 *
 * @example
 * const sender = await passkeyAccountAddress(chain, passkey);
 */
export async function passkeyAccountAddress(
  chain: Pick<TestChain, 'deployment' | 'publicClient'>,
  passkey: SoftwarePasskey,
): Promise<Address> {
  return (await chain.publicClient.readContract({
    address: chain.deployment.accountFactory,
    abi: loadArtifact('ZkSsoAccountFactory').abi,
    functionName: 'getPasskeyAccountAddress',
    args: [passkey.credentialId, passkey.publicKey.x, passkey.publicKey.y],
  })) as Address;
}
