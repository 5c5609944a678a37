import { ZkSsoError } from '@zksso/core';

/** A Groth16 proof as snarkjs returns it (decimal strings, projective with z = 1). */
export interface SnarkjsProof {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
  readonly protocol?: string;
  readonly curve?: string;
}

/** Thrown when bytes handed to {@link decodeProof} are not a 256-byte proof, or a value is out of range. */
export class ProofEncodingError extends ZkSsoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PROOF_ENCODING_INVALID', message, { details });
  }
}

/** Size of an encoded proof: a (64) ‖ b (128) ‖ c (64). */
export const ENCODED_PROOF_BYTES = 256;

const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

function word(value: string | bigint, name: string, modulus: bigint): string {
  const n = BigInt(value);
  if (n < 0n || n >= modulus) throw new ProofEncodingError(`${name} is not reduced`, { field: name });
  return n.toString(16).padStart(64, '0');
}

/**
 * Encodes a snarkjs Groth16 proof as protocol §10's 256 bytes: `a.x ‖ a.y ‖ b.x.c1 ‖ b.x.c0 ‖ b.y.c1 ‖
 * b.y.c0 ‖ c.x ‖ c.y`, each 32 bytes big-endian — b in EIP-197 order, as the Solidity verifier takes it.
 *
 * @example
 * ```ts
 * const { proof } = await snarkjs.groth16.prove(zkey, wtns);
 * const hex = encodeProof(proof); // '0x' + 512 hex digits
 * ```
 */
export function encodeProof(proof: SnarkjsProof): `0x${string}` {
  const [ax, ay] = proof.pi_a;
  const [bx, by] = proof.pi_b;
  const [cx, cy] = proof.pi_c;
  if (ax === undefined || ay === undefined || cx === undefined || cy === undefined || !bx || !by) {
    throw new ProofEncodingError('proof is missing coordinates');
  }
  const [bx0, bx1] = bx;
  const [by0, by1] = by;
  if (bx0 === undefined || bx1 === undefined || by0 === undefined || by1 === undefined) {
    throw new ProofEncodingError('proof.b is missing coordinates');
  }
  return `0x${[
    word(ax, 'a.x', BN254_Q),
    word(ay, 'a.y', BN254_Q),
    word(bx1, 'b.x.c1', BN254_Q),
    word(bx0, 'b.x.c0', BN254_Q),
    word(by1, 'b.y.c1', BN254_Q),
    word(by0, 'b.y.c0', BN254_Q),
    word(cx, 'c.x', BN254_Q),
    word(cy, 'c.y', BN254_Q),
  ].join('')}`;
}

/**
 * Decodes protocol §10's 256-byte proof back into snarkjs's object form (for `groth16.verify`).
 *
 * @example
 * ```ts
 * const proof = decodeProof(encodeProof(original));
 * await snarkjs.groth16.verify(vkey, publicSignals, proof); // true
 * ```
 */
export function decodeProof(encoded: `0x${string}` | Uint8Array): SnarkjsProof {
  const hex =
    typeof encoded === 'string'
      ? encoded.slice(2).toLowerCase()
      : Array.from(encoded, (byte) => byte.toString(16).padStart(2, '0')).join('');
  if (!/^[0-9a-f]*$/.test(hex) || hex.length !== ENCODED_PROOF_BYTES * 2) {
    throw new ProofEncodingError(`an encoded proof is ${ENCODED_PROOF_BYTES} bytes`, {
      bytes: hex.length / 2,
    });
  }
  const words = Array.from({ length: 8 }, (_, i) => {
    const n = BigInt(`0x${hex.slice(i * 64, i * 64 + 64)}`);
    if (n >= BN254_Q) throw new ProofEncodingError('coordinate is not a field element', { word: i });
    return n.toString();
  }) as [string, string, string, string, string, string, string, string];
  const [ax, ay, bx1, bx0, by1, by0, cx, cy] = words;
  return {
    pi_a: [ax, ay, '1'],
    pi_b: [
      [bx0, bx1],
      [by0, by1],
      ['1', '0'],
    ],
    pi_c: [cx, cy, '1'],
    protocol: 'groth16',
    curve: 'bn128',
  };
}

/**
 * Public signals (decimal strings from snarkjs) as protocol §1 hex: `0x` + 64 lowercase hex digits.
 *
 * @example
 * ```ts
 * encodePublicSignals(['1']); // ['0x000…001']
 * ```
 */
export function encodePublicSignals(signals: readonly (string | bigint)[]): `0x${string}`[] {
  return signals.map((s, i) => `0x${word(s, `publicSignals[${i}]`, BN254_R)}` as `0x${string}`);
}

/**
 * Hex (or decimal) public inputs back to the decimal strings snarkjs verifies.
 *
 * @example
 * ```ts
 * decodePublicSignals(['0x01']); // ['1']
 * ```
 */
export function decodePublicSignals(signals: readonly string[]): string[] {
  return signals.map((s, i) => {
    const n = BigInt(s);
    if (n < 0n || n >= BN254_R)
      throw new ProofEncodingError('public input is not a field element', { index: i });
    return n.toString();
  });
}
