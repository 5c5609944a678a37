import { type Address, encodeAbiParameters, getContractAddress, type Hex, isHex, keccak256 } from 'viem';
import { InvalidLengthError } from './errors.ts';
import { assertFieldElement, assertInRange } from './field.ts';

/**
 * Account kind byte of an OpenID (zkLogin) account salt (protocol §9).
 * @example
 * ```ts
 * keccak256(encodeAbiParameters(parseAbiParameters('uint8, uint256, uint256'), [ACCOUNT_KIND_OPENID, issHash, idc]));
 * ```
 */
export const ACCOUNT_KIND_OPENID = 1;
/**
 * Account kind byte of a passkey account salt (protocol §9).
 * @example
 * ```ts
 * passkeyAccountSalt({ credentialId, x, y }); // salt with kind ACCOUNT_KIND_PASSKEY
 * ```
 */
export const ACCOUNT_KIND_PASSKEY = 2;

/**
 * CREATE2 salt of an OpenID account: `keccak256(abi.encode(uint8(1), issHash, idc))` (protocol §9).
 *
 * @example
 * ```ts
 * const salt = openIdAccountSalt({ issHash: hashIssuer(iss), identityCommitment: idc });
 * ```
 */
export function openIdAccountSalt(args: { issHash: bigint; identityCommitment: bigint }): Hex {
  assertFieldElement(args.issHash, 'issHash');
  assertFieldElement(args.identityCommitment, 'identityCommitment');
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint8' }, { type: 'uint256' }, { type: 'uint256' }],
      [ACCOUNT_KIND_OPENID, args.issHash, args.identityCommitment],
    ),
  );
}

const TWO_256 = 1n << 256n;

/**
 * CREATE2 salt of a passkey account: `keccak256(abi.encode(uint8(2), keccak256(credentialId), x, y))`
 * (protocol §9). `credentialId` is the raw WebAuthn credential id (bytes, or hex of them).
 *
 * @example
 * ```ts
 * const salt = passkeyAccountSalt({ credentialId: new Uint8Array(credential.rawId), x, y });
 * ```
 */
export function passkeyAccountSalt(args: { credentialId: Uint8Array | Hex; x: bigint; y: bigint }): Hex {
  const { credentialId } = args;
  if (
    typeof credentialId === 'string'
      ? !isHex(credentialId, { strict: true }) || credentialId.length <= 2
      : credentialId.length === 0
  ) {
    throw new InvalidLengthError('credentialId', 0, 'at least 1 byte (bytes or 0x hex)');
  }
  assertInRange(args.x, 0n, TWO_256, 'x');
  assertInRange(args.y, 0n, TWO_256, 'y');
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint8' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'uint256' }],
      [ACCOUNT_KIND_PASSKEY, keccak256(credentialId), args.x, args.y],
    ),
  );
}

/**
 * The counterfactual address of an account: CREATE2 from the factory with the account's salt and the
 * factory's `accountInitCodeHash()`, `keccak256(0xff ‖ factory ‖ salt ‖ initCodeHash)[12:]` (protocol §9).
 *
 * @example
 * ```ts
 * const address = predictAccountAddress({ factory, accountInitCodeHash, salt: openIdAccountSalt({ issHash, identityCommitment }) });
 * ```
 */
export function predictAccountAddress(args: {
  factory: Address;
  accountInitCodeHash: Hex;
  salt: Hex;
}): Address {
  if (!isHex(args.accountInitCodeHash, { strict: true }) || args.accountInitCodeHash.length !== 66) {
    throw new InvalidLengthError(
      'accountInitCodeHash',
      (args.accountInitCodeHash.length - 2) / 2,
      '32 bytes',
    );
  }
  if (!isHex(args.salt, { strict: true }) || args.salt.length !== 66) {
    throw new InvalidLengthError('salt', (args.salt.length - 2) / 2, '32 bytes');
  }
  return getContractAddress({
    opcode: 'CREATE2',
    from: args.factory,
    salt: args.salt,
    bytecodeHash: args.accountInitCodeHash,
  });
}
