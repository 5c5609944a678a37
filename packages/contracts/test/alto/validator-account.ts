import { toZkSsoSmartAccount } from '@zksso/sdk';
import type { Address, Chain, Client, Hex, JsonRpcAccount, LocalAccount, Transport } from 'viem';

// A viem SmartAccount for a zkSSO account whose user operations are signed by one validator (passkey,
// recovery...): a thin wrapper on the package's toZkSsoSmartAccount, kept for the tests and the gas bench.

/** Parameters of {@link toValidatorSignedAccount}. */
export interface ValidatorSignedAccountParameters {
  client: Client<Transport, Chain, JsonRpcAccount | LocalAccount | undefined>;
  entryPoint: Address;
  address: Address;
  /** Present while the account is not deployed yet (the first operation deploys it). */
  factory?: { factory: Address; factoryData: Hex };
  /** The full `userOp.signature` (validator prefix included) for a userOpHash. */
  sign: (userOpHash: Hex) => Promise<Hex>;
}

/**
 * A viem SmartAccount for a zkSSO account signed through `sign` (e.g. a passkey with WebAuthnValidator).
 *
 * @example
 * const account = await toValidatorSignedAccount({ client, entryPoint, address, factory, sign: async (h) => withValidator(webAuthnValidator, encodeWebAuthnSignature(passkey.sign(h))) });
 */
export function toValidatorSignedAccount(parameters: ValidatorSignedAccountParameters) {
  const { factory, ...rest } = parameters;
  return toZkSsoSmartAccount({ ...rest, ...(factory ? { factoryArgs: factory } : {}) });
}
