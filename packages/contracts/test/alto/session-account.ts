import type { SessionSpec } from '@zksso/core';
import { decodeSessionRevert, encodeSessionSignature, toZkSsoSmartAccount, withValidator } from '@zksso/sdk';
import type { Address, Chain, Client, Hex, JsonRpcAccount, LocalAccount, Transport } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';

// A viem SmartAccount that signs an already deployed zkSSO account's user operations with a SESSION key:
// `sessionKeyValidator ‖ abi.encode(bytes ecdsaSig, SessionSpec spec, uint48 validAt)` (docs/contracts.md §7).
// Test-only wrapper on toZkSsoSmartAccount with a fixed validAt (the SDK's session account lives in @zksso/sdk).

export { decodeSessionRevert, encodeSessionSignature };

/** Parameters of {@link toSessionKeyAccount}. */
export interface SessionKeyAccountParameters {
  client: Client<Transport, Chain, JsonRpcAccount | LocalAccount | undefined>;
  entryPoint: Address;
  /** The deployed account the session belongs to. */
  address: Address;
  sessionKeyValidator: Address;
  /** The session's secp256k1 key (`spec.signer`). */
  sessionKey: PrivateKeyAccount;
  spec: SessionSpec;
  /** The time the operation claims (chain time, seconds): picks each Allowance limit's period. */
  validAt: bigint;
}

/**
 * A viem SmartAccount whose user operations are signed by a session key through SessionKeyValidator.
 * The account must already be deployed (sessions are created by a deployed account).
 *
 * @example
 * const session = await toSessionKeyAccount({ client, entryPoint, address, sessionKeyValidator, sessionKey, spec, validAt });
 * await bundlerClient.sendUserOperation({ account: session, calls: [{ to, value: 1n }] });
 */
export function toSessionKeyAccount(parameters: SessionKeyAccountParameters) {
  const { client, entryPoint, address, sessionKeyValidator, sessionKey, spec, validAt } = parameters;
  return toZkSsoSmartAccount({
    client,
    entryPoint,
    address,
    // The stub is a real signature over the zero hash (the default): same length and recovery cost; the
    // validator returns 1 (no revert) for a wrong key.
    sign: async (hash: Hex) =>
      withValidator(
        sessionKeyValidator,
        encodeSessionSignature(await sessionKey.sign({ hash }), spec, validAt),
      ),
  });
}
