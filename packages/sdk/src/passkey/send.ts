import { keccak256, zeroHash } from 'viem';
import type { Call, SendCallsResult } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { type SendOptions, submitUserOperation } from '../submit.ts';
import { webAuthnValidatorAbi } from './abi.ts';
import { PasskeyNotFoundError } from './errors.ts';
import type { PasskeySmartAccount } from './passkey-account.ts';

/**
 * The passkey branch of {@link sendCalls}: the SDK's one submit path with the verification gas of a passkey
 * on this chain (P-256 precompile or Solidity fallback, probed once; deployment on the first operation).
 * No expiry or chain-instance check applies: a passkey does not expire and holds no chain-bound state. A
 * deployed account that does not hold the passkey (removed, or never added) is refused before the user is
 * asked to sign.
 *
 * @throws PasskeyNotFoundError, PasskeyAssertionRefusedError, and what {@link submitUserOperation} throws.
 * @example
 * ```ts
 * const result = await sendPasskeyCalls({ network, account, calls }); // prefer sendCalls, which dispatches here
 * ```
 */
export async function sendPasskeyCalls(
  p: SendOptions & { network: ZkSsoNetwork; account: PasskeySmartAccount; calls: Call[] },
): Promise<SendCallsResult> {
  const clients = await createZkSsoClients(p.network);
  const { account } = p;
  if (await account.isDeployed()) {
    const stored = await clients.publicClient.readContract({
      address: p.network.addresses.webAuthnValidator,
      abi: webAuthnValidatorAbi,
      functionName: 'getPasskey',
      args: [account.address, keccak256(account.passkey.credentialId)],
    });
    if (stored.rpIdHash === zeroHash) {
      throw new PasskeyNotFoundError(
        account.passkey.credentialId,
        `${account.address} does not hold it (removed?)`,
      );
    }
  }
  return submitUserOperation(clients, {
    account: p.account,
    calls: p.calls,
    verificationGasLimit: await p.account.verificationGasLimit(),
    ...(p.gas ? { gas: p.gas } : {}),
    ...(p.simulate !== undefined ? { simulate: p.simulate } : {}),
    ...(p.errorAbi ? { errorAbi: p.errorAbi } : {}),
    ...(p.onStep ? { onStep: p.onStep } : {}),
  });
}
