import { zkSsoAccountAbi } from '@zksso/contracts';
import { InvalidEphemeralKeyError, KEY_TYPE_P256, KEY_TYPE_SECP256K1, ZkSsoError } from '@zksso/core';
import {
  type Address,
  concat,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  hexToBigInt,
  numberToHex,
  pad,
  size,
  slice,
} from 'viem';

/** ERC-7579 mode words the account supports. @example `encodeFunctionData({ abi: zkSsoAccountAbi, functionName: 'execute', args: [EXECUTION_MODE.single, data] })` */
export const EXECUTION_MODE = {
  single: pad('0x00', { dir: 'right', size: 32 }),
  batch: pad('0x01', { dir: 'right', size: 32 }),
  trySingle: pad('0x0001', { dir: 'right', size: 32 }),
  tryBatch: pad('0x0101', { dir: 'right', size: 32 }),
} as const;

/** One call of an account execution. */
export interface AccountCall {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/**
 * Encodes `execute(mode, executionCalldata)` for one call (single mode) or several (batch mode).
 *
 * @example
 * ```ts
 * const callData = encodeExecute([{ to: '0x...', data: '0x' }]);
 * ```
 */
export function encodeExecute(calls: readonly AccountCall[]): Hex {
  if (calls.length === 1) {
    const [call] = calls as [AccountCall];
    return encodeFunctionData({
      abi: zkSsoAccountAbi,
      functionName: 'execute',
      args: [
        EXECUTION_MODE.single,
        concat([call.to, numberToHex(call.value ?? 0n, { size: 32 }), call.data ?? '0x']),
      ],
    });
  }
  const executions = encodeAbiParameters(
    [
      {
        type: 'tuple[]',
        components: [
          { name: 'target', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'callData', type: 'bytes' },
        ],
      },
    ],
    [calls.map((c) => ({ target: c.to, value: c.value ?? 0n, callData: c.data ?? '0x' }))],
  );
  return encodeFunctionData({
    abi: zkSsoAccountAbi,
    functionName: 'execute',
    args: [EXECUTION_MODE.batch, executions],
  });
}

/** A Groth16 proof in the Solidity verifier's order (`b` in EIP-197 order). */
export interface Groth16SolidityProof {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
}

/**
 * Splits the 256-byte proof encoding of protocol §8 (`a ‖ b ‖ c`, 32-byte big-endian words, `b` already in
 * EIP-197 order) into the Solidity verifier's arguments.
 *
 * @throws InvalidProofEncodingError (code `INVALID_PROOF_ENCODING`) when the bytes are not 256 long.
 * @example
 * ```ts
 * const { a, b, c } = decodeSolidityProof(proved.proof);
 * ```
 */
export function decodeSolidityProof(encoded: Hex): Groth16SolidityProof {
  if (size(encoded) !== 256) throw new InvalidProofEncodingError(size(encoded));
  const word = (i: number) => hexToBigInt(slice(encoded, 32 * i, 32 * i + 32));
  return {
    a: [word(0), word(1)],
    b: [
      [word(2), word(3)],
      [word(4), word(5)],
    ],
    c: [word(6), word(7)],
  };
}

/**
 * A proof encoding that is not 256 bytes (protocol §8).
 *
 * @example
 * ```ts
 * decodeSolidityProof('0x1234'); // throws InvalidProofEncodingError, code INVALID_PROOF_ENCODING
 * ```
 */
export class InvalidProofEncodingError extends ZkSsoError {
  constructor(length: number) {
    super('INVALID_PROOF_ENCODING', `a proof encoding is 256 bytes, got ${length}`, { details: { length } });
  }
}

/** A zkLogin proof ready for a mode 0x01 signature (what a login session holds besides the key). */
export interface ZkLoginProofParts {
  tier: number;
  proof: Groth16SolidityProof;
  modulusHash: bigint;
  expiry: bigint;
}

/** Inputs of a ZkLoginValidator mode 0x01 signature (protocol §10). */
export interface ProveSignatureParts {
  tier: number;
  proof: Groth16SolidityProof;
  modulusHash: bigint;
  expiry: bigint | number;
  keyType: number;
  keyBytes: Hex;
  /** Ephemeral signature over the user operation hash: 65 bytes (secp256k1) or 64 (P-256). */
  signature: Hex;
}

/**
 * Encodes a ZkLoginValidator mode 0x01 signature (without the validator prefix).
 *
 * @example
 * ```ts
 * const sig = encodeProveSignature({ tier: 1600, proof, modulusHash, expiry, keyType: 1, keyBytes, signature });
 * ```
 */
export function encodeProveSignature(parts: ProveSignatureParts): Hex {
  const { proof } = parts;
  const words = [
    proof.a[0],
    proof.a[1],
    proof.b[0][0],
    proof.b[0][1],
    proof.b[1][0],
    proof.b[1][1],
    proof.c[0],
    proof.c[1],
    parts.modulusHash,
  ].map((w) => numberToHex(w, { size: 32 }));
  const out = concat([
    '0x01',
    numberToHex(parts.tier, { size: 2 }),
    ...words,
    numberToHex(BigInt(parts.expiry), { size: 6 }),
    numberToHex(parts.keyType, { size: 1 }),
    parts.keyBytes,
    parts.signature,
  ]);
  checkKeyParts(parts.keyType, parts.keyBytes, parts.signature);
  return out;
}

/**
 * Encodes a ZkLoginValidator mode 0x02 signature: `0x02 ‖ keyType ‖ keyBytes ‖ signature`.
 *
 * @example
 * ```ts
 * const sig = encodeKeySignature({ keyType: 1, keyBytes: ephemeral.address, signature });
 * ```
 */
export function encodeKeySignature(parts: { keyType: number; keyBytes: Hex; signature: Hex }): Hex {
  checkKeyParts(parts.keyType, parts.keyBytes, parts.signature);
  return concat(['0x02', numberToHex(parts.keyType, { size: 1 }), parts.keyBytes, parts.signature]);
}

/**
 * Prefixes a validator signature with the validator address (protocol §10).
 *
 * @example
 * ```ts
 * const userOpSignature = withValidator(zkLoginValidator, encodeKeySignature(parts));
 * ```
 */
export function withValidator(validator: Address, validatorSignature: Hex): Hex {
  return concat([validator, validatorSignature]);
}

function checkKeyParts(keyType: number, keyBytes: Hex, signature: Hex): void {
  const expected =
    keyType === KEY_TYPE_SECP256K1 ? [20, 65] : keyType === KEY_TYPE_P256 ? [64, 64] : undefined;
  if (!expected || size(keyBytes) !== expected[0] || size(signature) !== expected[1]) {
    // @zksso/core's error (code INVALID_EPHEMERAL_KEY), the one home of the ephemeral key's rules.
    throw new InvalidEphemeralKeyError(
      `keyType ${keyType} needs 20-byte keyBytes and a 65-byte signature (1, secp256k1) or 64 and 64 (2, P-256); got ${size(keyBytes)} and ${size(signature)}`,
    );
  }
}
