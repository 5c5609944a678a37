import type { Hex } from 'viem';
import { type EphemeralPublicKey, ephemeralKeyId, joinKeyId, splitKeyId } from './ephemeral-key.ts';
import { InvalidPublicInputsError, ZkSsoError } from './errors.ts';
import { assertFieldElement, assertInRange, parseBigInt } from './field.ts';
import { EXPIRY_MAX } from './nonce.ts';

/**
 * Names of the Groth16 public inputs, in circuit order (protocol §8).
 * @example
 * ```ts
 * PUBLIC_INPUT_NAMES.indexOf('expiry'); // 4
 * ```
 */
export const PUBLIC_INPUT_NAMES = ['issHash', 'idc', 'ephHi', 'ephLo', 'expiry', 'modulusHash'] as const;

/**
 * One of {@link PUBLIC_INPUT_NAMES}.
 * @example
 * ```ts
 * const name: PublicInputName = 'modulusHash';
 * ```
 */
export type PublicInputName = (typeof PUBLIC_INPUT_NAMES)[number];

/**
 * What the proof's public inputs state, given by the ephemeral key or its keyId.
 * @example
 * ```ts
 * const input: PublicInputsInput = { issHash, identityCommitment, keyId, expiry, modulusHash };
 * buildPublicInputs(input);
 * ```
 */
export type PublicInputsInput = ({ ephemeralPublicKey: EphemeralPublicKey } | { keyId: Hex }) & {
  issHash: bigint;
  identityCommitment: bigint;
  /** Unix seconds, `0 < expiry < 2^48`. */
  expiry: bigint;
  modulusHash: bigint;
};

/**
 * The decoded public inputs of a proof (protocol §8).
 * @example
 * ```ts
 * const { keyId, expiry }: PublicInputs = parsePublicInputs(publicSignals);
 * ```
 */
export type PublicInputs = {
  issHash: bigint;
  identityCommitment: bigint;
  keyId: Hex;
  ephHi: bigint;
  ephLo: bigint;
  expiry: bigint;
  modulusHash: bigint;
};

const TWO_128 = 1n << 128n;

/**
 * The Groth16 public inputs in protocol §8 order: `[issHash, idc, ephHi, ephLo, expiry, modulusHash]`.
 *
 * @throws {OutOfRangeError} when a value is not a field element or expiry is out of range.
 * @example
 * ```ts
 * const signals = buildPublicInputs({ issHash, identityCommitment, ephemeralPublicKey, expiry, modulusHash });
 * ```
 */
export function buildPublicInputs(input: PublicInputsInput): bigint[] {
  assertFieldElement(input.issHash, 'issHash');
  assertFieldElement(input.identityCommitment, 'identityCommitment');
  assertInRange(input.expiry, 1n, EXPIRY_MAX, 'expiry');
  assertFieldElement(input.modulusHash, 'modulusHash');
  const keyId = 'keyId' in input ? input.keyId : ephemeralKeyId(input.ephemeralPublicKey);
  const { hi, lo } = splitKeyId(keyId);
  return [input.issHash, input.identityCommitment, hi, lo, input.expiry, input.modulusHash];
}

/**
 * Reads a list of public inputs (bigints, or decimal / `0x` strings as snarkjs and provers return them)
 * back into named values; the inverse of {@link buildPublicInputs}.
 *
 * @throws {InvalidPublicInputsError} on a wrong count or a value out of range.
 * @example
 * ```ts
 * const { identityCommitment, keyId, expiry } = parsePublicInputs(publicSignals);
 * ```
 */
export function parsePublicInputs(values: readonly (bigint | string)[]): PublicInputs {
  if (!Array.isArray(values) || values.length !== PUBLIC_INPUT_NAMES.length) {
    throw new InvalidPublicInputsError(`expected ${PUBLIC_INPUT_NAMES.length} values`);
  }
  try {
    const [issHash, idc, ephHi, ephLo, expiry, mh] = PUBLIC_INPUT_NAMES.map((name, i) => {
      const v = parseBigInt(values[i] as bigint | string, name);
      assertFieldElement(v, name);
      return v;
    }) as [bigint, bigint, bigint, bigint, bigint, bigint];
    assertInRange(ephHi, 0n, TWO_128, 'ephHi');
    assertInRange(ephLo, 0n, TWO_128, 'ephLo');
    assertInRange(expiry, 1n, EXPIRY_MAX, 'expiry');
    return {
      issHash,
      identityCommitment: idc,
      keyId: joinKeyId({ hi: ephHi, lo: ephLo }),
      ephHi,
      ephLo,
      expiry,
      modulusHash: mh,
    };
  } catch (error) {
    if (error instanceof ZkSsoError) throw new InvalidPublicInputsError(error.message);
    throw error;
  }
}
