import { ZkSsoError } from '@zksso/core';
import {
  type Address,
  concat,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type LocalAccount,
  numberToHex,
  pad,
  size,
} from 'viem';
import { toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';

/** Largest uint48 (validUntil / validAfter). */
const MAX_UINT48 = 2n ** 48n - 1n;

/**
 * A stand-in paymasterData for gas estimation: the right length, a signature that recovers to nobody (high s),
 * so validation fails without reverting.
 *
 * @example `getPaymasterStubData: async () => ({ paymaster, paymasterData: DUMMY_VERIFYING_PAYMASTER_DATA, paymasterVerificationGasLimit: 100_000n, paymasterPostOpGasLimit: 0n })`
 */
export const DUMMY_VERIFYING_PAYMASTER_DATA: Hex = concat([
  encodeAbiParameters([{ type: 'uint48' }, { type: 'uint48' }], [0, 0]),
  `0x${'ff'.repeat(64)}1b`,
]);

/**
 * The sponsorship window is invalid: a bound is outside uint48, or validUntil (when not 0 = forever) is not
 * after validAfter.
 *
 * @example
 * ```ts
 * await signVerifyingPaymasterData({ ...params, validUntil: 10, validAfter: 20 }); // throws (code INVALID_PAYMASTER_WINDOW)
 * ```
 */
export class InvalidPaymasterWindowError extends ZkSsoError {
  constructor(validUntil: bigint, validAfter: bigint) {
    super(
      'INVALID_PAYMASTER_WINDOW',
      `invalid sponsorship window validUntil=${validUntil} validAfter=${validAfter}`,
      {
        details: { validUntil: validUntil.toString(), validAfter: validAfter.toString() },
      },
    );
  }
}

/**
 * paymasterData is not 129 bytes (`abi.encode(validUntil, validAfter)` then a 65-byte signature).
 *
 * @example
 * ```ts
 * encodeVerifyingPaymasterAndData({ ...params, paymasterData: '0x' }); // throws (code INVALID_PAYMASTER_DATA)
 * ```
 */
export class InvalidPaymasterDataError extends ZkSsoError {
  constructor(actualSize: number) {
    super(
      'INVALID_PAYMASTER_DATA',
      `paymasterData must be 129 bytes (64-byte window + 65-byte signature), got ${actualSize}`,
      {
        details: { size: actualSize },
      },
    );
  }
}

/** The user-operation fields a sponsorship covers (viem's unpacked v0.8 form; the signature is ignored). */
export type SponsoredUserOperation = Omit<
  UserOperation<'0.8'>,
  'signature' | 'paymaster' | 'paymasterData'
> & {
  paymasterVerificationGasLimit: bigint;
  paymasterPostOpGasLimit: bigint;
};

/** Inputs of {@link getVerifyingPaymasterHash} and {@link signVerifyingPaymasterData}. */
export interface VerifyingPaymasterParameters {
  userOperation: SponsoredUserOperation;
  paymaster: Address;
  chainId: number | bigint;
  /** Unix seconds after which the sponsorship expires; 0 = never. */
  validUntil: number | bigint;
  /** Unix seconds before which the sponsorship is not valid; 0 = immediately. */
  validAfter?: number | bigint;
}

/**
 * The hash VerifyingPaymaster.getHash computes (before the EIP-191 prefix): every packed user-operation field but
 * the signatures, the paymaster gas limits, the chain id, the paymaster and the window.
 *
 * @example
 * ```ts
 * const hash = getVerifyingPaymasterHash({ userOperation, paymaster, chainId: 1, validUntil: 1_900_000_000 });
 * ```
 */
export function getVerifyingPaymasterHash(params: VerifyingPaymasterParameters): Hex {
  const { validUntil, validAfter } = checkWindow(params.validUntil, params.validAfter ?? 0);
  const packed = toPackedUserOperation({
    ...params.userOperation,
    signature: '0x',
  } as UserOperation<'0.8'>);
  const paymasterGasLimits = concat([
    pad(numberToHex(params.userOperation.paymasterVerificationGasLimit), { size: 16 }),
    pad(numberToHex(params.userOperation.paymasterPostOpGasLimit), { size: 16 }),
  ]);
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'address' },
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'address' },
        { type: 'uint48' },
        { type: 'uint48' },
      ],
      [
        packed.sender,
        packed.nonce,
        keccak256(packed.initCode),
        keccak256(packed.callData),
        packed.accountGasLimits,
        BigInt(paymasterGasLimits),
        packed.preVerificationGas,
        packed.gasFees,
        BigInt(params.chainId),
        params.paymaster,
        Number(validUntil),
        Number(validAfter),
      ],
    ),
  );
}

/**
 * Signs a sponsorship and returns `paymasterData` (what follows the 52-byte paymaster ‖ gas-limits head):
 * `abi.encode(uint48 validUntil, uint48 validAfter) ‖ signature (65 bytes)`, the signature being the signer's
 * `personal_sign` of {@link getVerifyingPaymasterHash}.
 *
 * @example
 * ```ts
 * const paymasterData = await signVerifyingPaymasterData({ signer, userOperation, paymaster, chainId, validUntil });
 * ```
 */
export async function signVerifyingPaymasterData(
  params: VerifyingPaymasterParameters & { signer: LocalAccount },
): Promise<Hex> {
  const hash = getVerifyingPaymasterHash(params);
  const signature = await params.signer.signMessage({ message: { raw: hash } });
  return concat([
    encodeAbiParameters(
      [{ type: 'uint48' }, { type: 'uint48' }],
      [Number(params.validUntil), Number(params.validAfter ?? 0)],
    ),
    signature,
  ]);
}

/**
 * The full packed `paymasterAndData`: paymaster (20) ‖ verification gas (16) ‖ post-op gas (16) ‖ paymasterData.
 *
 * @example
 * ```ts
 * const paymasterAndData = encodeVerifyingPaymasterAndData({ paymaster, paymasterVerificationGasLimit: 60_000n,
 *   paymasterPostOpGasLimit: 0n, paymasterData });
 * ```
 */
export function encodeVerifyingPaymasterAndData(params: {
  paymaster: Address;
  paymasterVerificationGasLimit: bigint;
  paymasterPostOpGasLimit: bigint;
  paymasterData: Hex;
}): Hex {
  if (size(params.paymasterData) !== 129) {
    throw new InvalidPaymasterDataError(size(params.paymasterData));
  }
  return concat([
    params.paymaster,
    pad(numberToHex(params.paymasterVerificationGasLimit), { size: 16 }),
    pad(numberToHex(params.paymasterPostOpGasLimit), { size: 16 }),
    params.paymasterData,
  ]);
}

function checkWindow(
  until: number | bigint,
  after: number | bigint,
): { validUntil: bigint; validAfter: bigint } {
  const validUntil = BigInt(until);
  const validAfter = BigInt(after);
  const inRange = (v: bigint) => v >= 0n && v <= MAX_UINT48;
  if (!inRange(validUntil) || !inRange(validAfter) || (validUntil !== 0n && validUntil <= validAfter)) {
    throw new InvalidPaymasterWindowError(validUntil, validAfter);
  }
  return { validUntil, validAfter };
}
