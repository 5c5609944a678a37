import {
  accountFactoryAbi,
  encodeKeySignature,
  encodeProveSignature,
  ephemeralKeyId,
  erc7739PersonalSignHash,
  KEY_TYPE_SECP256K1,
  toZkSsoSmartAccount,
  withValidator,
} from '@zksso/contracts';
import { encodeFunctionData, type Hex, parseAbi, zeroHash } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import { privateKeyToAccount } from 'viem/accounts';
import type { ZkSsoClients } from '../clients.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { proofPartsOf, type ZkLoginSession } from '../zklogin-session.ts';

/** The ZkLoginValidator view that tells whether an ephemeral key is registered for an account. @example `readContract(client, { address: zkLoginValidator, abi: zkLoginValidatorKeyAbi, functionName: 'keyOf', args: [account, keyId] })` */
export const zkLoginValidatorKeyAbi = parseAbi([
  'function keyOf(address account, bytes32 keyId) view returns (uint48 expiry, bool revoked)',
]);

/** How the account signs its next user operation: with the proof (mode 0x01) or the registered key (0x02). @example `(await account.signatureMode()) === 'key'` */
export type ZkLoginSignatureMode = 'prove' | 'key';

/**
 * A viem SmartAccount of a zkSSO OpenID login, plus the login (`session`, SECRET) and what it signs with.
 *
 * @example
 * ```ts
 * const { account } = await createZkLoginAccount({ network, source: { kind: 'dev', user: 'alice' } });
 * await account.signatureMode(); // 'prove' until the first operation registers the key, then 'key'
 * ```
 */
export type ZkLoginSmartAccount = SmartAccount & {
  session: ZkLoginSession;
  /** keccak256(keyType ‖ keyBytes) of the ephemeral key (protocol §5). */
  keyId: Hex;
  /** Reads the chain: `key` once the ephemeral key is registered for the account, else `prove`. */
  signatureMode(): Promise<ZkLoginSignatureMode>;
};

/**
 * Builds the SmartAccount of a login session on {@link toZkSsoSmartAccount}: mode 0x01 (proof, registers the
 * key; the first operation also deploys the account) until the key is registered on chain, then mode 0x02.
 *
 * @example
 * ```ts
 * const account = await toZkLoginSmartAccount({ network, clients, session });
 * ```
 */
export async function toZkLoginSmartAccount(p: {
  network: ZkSsoNetwork;
  clients: ZkSsoClients;
  session: ZkLoginSession;
}): Promise<ZkLoginSmartAccount> {
  const { network, session } = p;
  const client = p.clients.publicClient;
  const { zkLoginValidator } = network.addresses;
  const key = privateKeyToAccount(session.ephemeralPrivateKey);
  const keyType = KEY_TYPE_SECP256K1;
  const keyBytes = key.address;
  const keyId = ephemeralKeyId(keyType, keyBytes);
  const proof = proofPartsOf(session);
  const issHash = BigInt(session.issHash);
  const idc = BigInt(session.idc);

  // Once registered a key stays registered (until revoked): no need to ask again.
  let registered = false;
  const signatureMode = async (): Promise<ZkLoginSignatureMode> => {
    if (!registered) {
      const [expiry, revoked] = await client.readContract({
        address: zkLoginValidator,
        abi: zkLoginValidatorKeyAbi,
        functionName: 'keyOf',
        args: [session.address, keyId],
      });
      registered = expiry > 0 && !revoked;
    }
    return registered ? 'key' : 'prove';
  };
  const encode = async (hash: Hex): Promise<Hex> => {
    const signature = await key.sign({ hash });
    const validatorSignature =
      (await signatureMode()) === 'key'
        ? encodeKeySignature({ keyType, keyBytes, signature })
        : encodeProveSignature({ ...proof, keyType, keyBytes, signature });
    return withValidator(zkLoginValidator, validatorSignature);
  };

  const account = await toZkSsoSmartAccount({
    client,
    entryPoint: network.addresses.entryPoint,
    address: session.address,
    factoryArgs: {
      factory: network.addresses.factory,
      factoryData: encodeFunctionData({
        abi: accountFactoryAbi,
        functionName: 'createOpenIdAccount',
        args: [issHash, idc],
      }),
    },
    sign: encode,
    // A real-shaped signature by the same key over another hash: same length and verification cost.
    stubSignature: () => encode(zeroHash),
    async signMessage(message) {
      const digest = erc7739PersonalSignHash({ message, chainId: network.chainId, account: session.address });
      return withValidator(
        zkLoginValidator,
        encodeKeySignature({ keyType, keyBytes, signature: await key.sign({ hash: digest }) }),
      );
    },
  });
  return Object.assign(account, { session, keyId, signatureMode });
}
