import { zkSsoAccountFactoryAbi } from '@zksso/contracts';
import {
  type Address,
  concat,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  numberToHex,
  zeroHash,
} from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { ZkSsoClients } from '../clients.ts';
import {
  encodeWebAuthnSignature,
  type P256PublicKey,
  rpIdHash,
  toZkSsoSmartAccount,
  webAuthnChallenge,
  withValidator,
} from '../contracts/index.ts';
import { VERIFICATION_GAS } from '../gas.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { checkAssertion } from './assertion.ts';
import type { PasskeyAuthenticator, PasskeyUserVerification } from './authenticator.ts';
import { hasP256Precompile, PASSKEY_VERIFICATION_GAS } from './precompile.ts';

/** A passkey as an account knows it: what the WebAuthnValidator stores, plus where it was made. */
export interface PasskeyCredential {
  credentialId: Hex;
  publicKey: P256PublicKey;
  rpId: string;
  /** The origin registered with the passkey; `''` accepts any origin the account allows (`addOrigin`). */
  origin: string;
}

/**
 * A viem SmartAccount signed by a passkey through the WebAuthnValidator, plus the passkey and how much
 * verification gas its operations need on this chain.
 *
 * @example
 * ```ts
 * const { account } = await createPasskeyAccount({ network, rpId, name: 'alice', authenticator });
 * account.passkey.credentialId; // '0x…'
 * ```
 */
export type PasskeySmartAccount = SmartAccount & {
  kind: 'passkey';
  passkey: PasskeyCredential;
  /** Verification gas limit of the next operation: precompile or Solidity fallback, plus deployment if due. */
  verificationGasLimit(): Promise<bigint>;
};

/** Parameters of {@link toPasskeySmartAccount}. */
export interface ToPasskeySmartAccountParameters {
  network: ZkSsoNetwork;
  clients: ZkSsoClients;
  passkey: PasskeyCredential;
  authenticator: PasskeyAuthenticator;
  /** Default `'preferred'`. */
  userVerification?: PasskeyUserVerification;
  /** Accept assertions made in a cross-origin iframe (default false). */
  allowCrossOrigin?: boolean;
  /**
   * The account the passkey signs for. Default: the passkey's own counterfactual account (deployed by its first
   * operation); pass another address for a passkey added to an existing account (e.g. an OpenID account).
   */
  address?: Address;
}

/**
 * The passkey account of a credential: the factory's counterfactual address for (credentialId, x, y).
 *
 * @example
 * ```ts
 * const address = await passkeyAccountAddress(network, clients, passkey);
 * ```
 */
export function passkeyAccountAddress(
  network: ZkSsoNetwork,
  clients: ZkSsoClients,
  passkey: Pick<PasskeyCredential, 'credentialId' | 'publicKey'>,
): Promise<Address> {
  return clients.publicClient.readContract({
    address: network.addresses.factory,
    abi: zkSsoAccountFactoryAbi,
    functionName: 'getPasskeyAccountAddress',
    args: [passkey.credentialId, passkey.publicKey.x, passkey.publicKey.y],
  });
}

/**
 * A placeholder signature of a real one's shape and verification cost, made without asking the authenticator
 * (gas estimation must not prompt the user): a well-formed assertion over the zero hash with an r, s that do not
 * verify, which the validator refuses without reverting.
 */
function stubAssertionSignature(passkey: PasskeyCredential): Hex {
  const flags = 0x05; // UP | UV
  const authenticatorData = concat([rpIdHash(passkey.rpId), numberToHex(flags, { size: 1 }), '0x00000000']);
  const clientDataJSON = JSON.stringify({
    type: 'webauthn.get',
    challenge: webAuthnChallenge(zeroHash),
    origin: passkey.origin || 'https://stub.invalid',
    crossOrigin: false,
  });
  const word = `0x${'7f'.repeat(32)}` as Hex;
  return encodeWebAuthnSignature({
    credentialId: passkey.credentialId,
    authenticatorData,
    clientDataJSON,
    signature: concat([word, word]),
  });
}

/**
 * Builds the SmartAccount of a passkey on {@link toZkSsoSmartAccount}: each user-operation hash (and ERC-1271
 * digest) becomes a WebAuthn challenge, the authenticator's assertion is checked ({@link checkAssertion}), its
 * signature low-s normalised and encoded for the WebAuthnValidator.
 *
 * @example
 * ```ts
 * const account = await toPasskeySmartAccount({ network, clients, passkey, authenticator: browserAuthenticator() });
 * ```
 */
export async function toPasskeySmartAccount(
  p: ToPasskeySmartAccountParameters,
): Promise<PasskeySmartAccount> {
  const { network, clients, passkey, authenticator } = p;
  const { webAuthnValidator } = network.addresses;
  const userVerification = p.userVerification ?? 'preferred';
  const own = await passkeyAccountAddress(network, clients, passkey);
  const address = p.address ?? own;

  const assert = async (hash: Hex): Promise<Hex> => {
    const assertion = await authenticator.get({
      rpId: passkey.rpId,
      challenge: hash,
      allowCredentials: [passkey.credentialId],
      userVerification,
    });
    checkAssertion(assertion, {
      credentialId: passkey.credentialId,
      ...(p.allowCrossOrigin ? { allowCrossOrigin: true } : {}),
    });
    return withValidator(webAuthnValidator, encodeWebAuthnSignature(assertion));
  };

  const account = await toZkSsoSmartAccount({
    client: clients.publicClient,
    entryPoint: network.addresses.entryPoint,
    address,
    // Only the passkey's own account is deployed by the factory; an account it was added to exists already.
    ...(isAddressEqual(address, own)
      ? {
          factoryArgs: {
            factory: network.addresses.factory,
            factoryData: encodeFunctionData({
              abi: zkSsoAccountFactoryAbi,
              functionName: 'createPasskeyAccount',
              args: [
                passkey.credentialId,
                passkey.publicKey.x,
                passkey.publicKey.y,
                passkey.origin,
                rpIdHash(passkey.rpId),
              ],
            }),
          },
        }
      : {}),
    sign: assert,
    stubSignature: async () => withValidator(webAuthnValidator, stubAssertionSignature(passkey)),
    signDigest: assert,
  });
  const verificationGasLimit = async (): Promise<bigint> => {
    const [fast, deployed] = await Promise.all([
      hasP256Precompile(clients.publicClient),
      account.isDeployed(),
    ]);
    const verify = fast ? PASSKEY_VERIFICATION_GAS.precompile : PASSKEY_VERIFICATION_GAS.fallback;
    return verify + (deployed ? 0n : VERIFICATION_GAS.deploy);
  };
  return Object.assign(account, { kind: 'passkey' as const, passkey, verificationGasLimit });
}

/**
 * Whether `account` is a {@link PasskeySmartAccount}.
 *
 * @example
 * ```ts
 * if (isPasskeyAccount(account)) console.log(account.passkey.credentialId);
 * ```
 */
export function isPasskeyAccount(account: SmartAccount): account is PasskeySmartAccount {
  return (account as Partial<PasskeySmartAccount>).kind === 'passkey';
}
