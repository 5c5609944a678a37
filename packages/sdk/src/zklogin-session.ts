import { type Address, type Hex, isAddress, isHex, size } from 'viem';
import { decodeSolidityProof, type ZkLoginProofParts } from './contracts/index.ts';

/**
 * A finished login, enough to rebuild its account without a new token, salt or proof: JSON-serialisable
 * (bigints as decimal strings). A secp256k1 login contains a SECRET (`ephemeralPrivateKey`): store it like a
 * password and only until `expiry`. A P-256 login holds only the public key (`ephemeralPublicKey`): its private
 * key is a non-extractable WebCrypto key, kept by the app (IndexedDB) and passed back to
 * {@link restoreZkLoginAccount} as `ephemeralKey`.
 *
 * @example
 * ```ts
 * writeFileSync(path, JSON.stringify(session), { mode: 0o600 });
 * const account = await restoreZkLoginAccount({ network, session: parseZkLoginSession(JSON.parse(text)) });
 * ```
 */
export type ZkLoginSession = {
  version: 1;
  chainId: number;
  address: Address;
  issuer: string;
  clientId: string;
  /** Public input 0 (protocol §8), decimal. */
  issHash: string;
  /** Identity commitment (protocol §4), decimal. */
  idc: string;
  /** The ephemeral key's type; absent means `secp256k1`. */
  ephemeralKeyType?: 'secp256k1' | 'p256';
  /** secp256k1 only: the ephemeral private key (SECRET). */
  ephemeralPrivateKey?: Hex;
  /** P-256 only: the public key `x ‖ y` (64 bytes); the private key stays in WebCrypto. */
  ephemeralPublicKey?: Hex;
  /** Unix seconds, decimal: the key is valid while `block.timestamp <= expiry`. */
  expiry: string;
  tier: number;
  /** The 256-byte proof in protocol §8 encoding. */
  proof: Hex;
  /** Decimal. */
  modulusHash: string;
  /** Hash of the chain's block 0 when the login was made: a restarted dev chain has another (absent in older files). */
  genesisHash?: Hex;
};

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Checks that a parsed JSON value is a {@link ZkLoginSession} and returns it typed.
 *
 * @throws TypeError naming the first bad field (never its value: the key is secret).
 * @example
 * ```ts
 * const session = parseZkLoginSession(JSON.parse(readFileSync(path, 'utf8')));
 * ```
 */
export function parseZkLoginSession(value: unknown): ZkLoginSession {
  const s = value as Record<string, unknown>;
  const fail = (field: string) => new TypeError(`not a zkSSO login session: bad ${field}`);
  if (!s || typeof s !== 'object') throw fail('object');
  if (s.version !== 1) throw fail('version');
  if (!Number.isSafeInteger(s.chainId)) throw fail('chainId');
  if (typeof s.address !== 'string' || !isAddress(s.address)) throw fail('address');
  for (const field of ['issuer', 'clientId'] as const) if (typeof s[field] !== 'string') throw fail(field);
  for (const field of ['issHash', 'idc', 'expiry', 'modulusHash'] as const) {
    if (typeof s[field] !== 'string' || !DECIMAL.test(s[field] as string)) throw fail(field);
  }
  if (s.ephemeralKeyType === 'p256') {
    if (!isHex(s.ephemeralPublicKey) || size(s.ephemeralPublicKey as Hex) !== 64)
      throw fail('ephemeralPublicKey');
    if (s.ephemeralPrivateKey !== undefined) throw fail('ephemeralPrivateKey');
  } else if (s.ephemeralKeyType === undefined || s.ephemeralKeyType === 'secp256k1') {
    if (!isHex(s.ephemeralPrivateKey) || size(s.ephemeralPrivateKey as Hex) !== 32)
      throw fail('ephemeralPrivateKey');
  } else throw fail('ephemeralKeyType');
  if (!Number.isSafeInteger(s.tier)) throw fail('tier');
  if (!isHex(s.proof) || size(s.proof as Hex) !== 256) throw fail('proof');
  if (s.genesisHash !== undefined && (!isHex(s.genesisHash) || size(s.genesisHash as Hex) !== 32))
    throw fail('genesisHash');
  return s as unknown as ZkLoginSession;
}

/**
 * The mode 0x01 parts (tier, proof, modulusHash, expiry) of a login session.
 *
 * @example
 * ```ts
 * const parts = proofPartsOf(session);
 * ```
 */
export function proofPartsOf(session: ZkLoginSession): ZkLoginProofParts {
  return {
    tier: session.tier,
    proof: decodeSolidityProof(session.proof),
    modulusHash: BigInt(session.modulusHash),
    expiry: BigInt(session.expiry),
  };
}
