import type { Hex } from 'viem';

// The JSON of the zkSSO services' HTTP APIs, in one place: the services answer with these shapes and the SDK
// reads them, so a field renamed on one side fails to compile on the other. Integers travel as strings
// (decimal or 32-byte `0x` hex, protocol §1), never as JSON numbers that lose precision.

/**
 * The body of the prover's `POST /v1`. Where Sui's prover accepts decimal or base64
 * (`extendedEphemeralPublicKey`, `jwtRandomness`, `salt`), so does zkSSO's: `ephemeralPublicKey` (as a
 * string), `jwtRandomness`, `salt` and the P-256 coordinates take a decimal string, standard padded base64
 * of the big-endian bytes, or `0x` hex; a string of digits only is always decimal. `expiry` takes decimal,
 * `0x` hex or a JSON number.
 *
 * @example
 * ```ts
 * const body: ProveRequestBody = {
 *   jwt, ephemeralPublicKey: { type: 'secp256k1', address }, expiry: '1767225600', jwtRandomness: '31', salt: '42',
 * };
 * ```
 */
export type ProveRequestBody = {
  /** The provider's RS256 ID token. */
  jwt: string;
  /**
   * The key the token's nonce commits to: `{ type: 'secp256k1', address }`, `{ type: 'p256', x, y }`, or the
   * extended key `be_1(keyType) ‖ keyBytes` as one string (base64, decimal or `0x` hex), like Sui's
   * `extendedEphemeralPublicKey`.
   */
  ephemeralPublicKey:
    | { type: 'secp256k1'; address: string }
    | { type: 'p256'; x: string; y: string }
    | string;
  /** Unix seconds, `0 < expiry < 2^48`. */
  expiry: string | number;
  /** The nonce randomness, `0 <= r < 2^128`. */
  jwtRandomness: string;
  /** The user's salt, `0 <= salt < 2^128`. */
  salt: string;
  /** `sub` (default) or `email`. */
  keyClaimName?: string;
};

/**
 * The prover's answer to `POST /v1`: the proof and its public inputs (protocol §8, §9), each 32-byte hex.
 *
 * @example
 * ```ts
 * const { proof, publicInputs, identityCommitment }: ProveResponse = await response.json();
 * ```
 */
export type ProveResponse = {
  /** The circuit tier (maximum header.payload bytes) that proved. */
  tier: number;
  /** 256 bytes, protocol §9 encoding. */
  proof: Hex;
  /** [issHash, idc, ephHi, ephLo, expiry, modulusHash], 32-byte hex each (`parsePublicInputs` names them). */
  publicInputs: Hex[];
  issHash: Hex;
  identityCommitment: Hex;
  modulusHash: Hex;
  /** The ephemeral key's expiry (unix seconds), 32-byte hex like every integer in zksso/v1 JSON (§1). */
  expiry: Hex;
  /** keccak256(keyType ‖ keyBytes) of the ephemeral key (protocol §6). */
  keyId: Hex;
};

/**
 * The body of the salt service's `POST /get_salt`.
 *
 * @example
 * ```ts
 * const body: GetSaltRequest = { token: idToken, keyClaimName: 'sub' };
 * ```
 */
export type GetSaltRequest = {
  /** The ID token whose identity the salt is for. */
  token: string;
  /** `sub` (default) or `email` (when the service allows it and the email is verified). */
  keyClaimName?: string;
};

/**
 * The salt service's answer: the salt, `0 <= salt < 2^128`, in decimal and as 32-byte hex.
 *
 * @example
 * ```ts
 * const { salt }: GetSaltResponse = await response.json();
 * BigInt(salt);
 * ```
 */
export type GetSaltResponse = {
  salt: string;
  saltHex: Hex;
};

/**
 * Every zkSSO service's error answer (4xx and 5xx): a stable machine-readable `code`, a message for people
 * and, where useful, `details` (never a secret). 429 and 503 answers also carry `Retry-After`.
 *
 * @example
 * ```ts
 * const { error }: ServiceErrorBody = await response.json();
 * if (error.code === 'RATE_LIMITED') retryLater(response.headers.get('retry-after'));
 * ```
 */
export type ServiceErrorBody = {
  error: { code: string; message: string; details?: Record<string, unknown> };
};
