import { decodeErrorResult, type Hex, parseAbi } from 'viem';

/**
 * Custom errors of the account, factory, ZkLoginValidator, JwkRegistry and WebAuthnValidator, with the
 * OpenZeppelin errors they inherit (for decoding revert data without loading artifacts; a test checks this list
 * against the compiled contracts).
 *
 * @example
 * ```ts
 * decodeErrorResult({ abi: zkSsoErrorsAbi, data: revertData });
 * ```
 */
export const zkSsoErrorsAbi = parseAbi([
  // JwkRegistry
  'error UnknownJwk(uint256 issHash, uint256 modulusHash)',
  'error RevokedJwk(uint256 issHash, uint256 modulusHash)',
  'error RotatedJwk(uint256 issHash, uint256 modulusHash, uint256 replacedBy)',
  'error JwkAlreadyRegistered(uint256 issHash, uint256 modulusHash, uint8 status)',
  'error JwkNotActive(uint256 issHash, uint256 modulusHash, uint8 status)',
  'error ZeroHash()',
  'error InvalidNonce(uint256 expected, uint256 provided)',
  'error NotEnoughSignatures(uint256 valid, uint256 required)',
  'error InvalidOracleSignature(uint256 index, address recovered)',
  'error InvalidOracleSet(uint256 oracles, uint256 threshold)',
  // ZkLoginValidator
  'error InvalidSignatureLength(uint256 length)',
  'error UnknownMode(uint8 mode)',
  'error UnknownKeyType(uint8 keyType)',
  'error UnknownTier(uint16 tier)',
  'error TierAlreadySet(uint16 tier)',
  'error InvalidVerifier(uint16 tier, address verifier)',
  'error InvalidIdentity(uint256 issHash, uint256 idc)',
  'error UnknownEphemeralKey(address account, bytes32 keyId)',
  'error EphemeralKeyRevoked(address account, bytes32 keyId)',
  'error InvalidExpiry(uint48 expiry)',
  'error AlreadyInitialized(address smartAccount)',
  'error NotInitialized(address smartAccount)',
  // ZkSsoAccount
  'error NotFromEntryPoint(address caller)',
  'error NotFromEntryPointOrSelf(address caller)',
  'error NotAnInstalledExecutor(address caller)',
  'error InvalidValidator(address validator)',
  'error UnsupportedModuleType(uint256 moduleTypeId)',
  'error MismatchedModuleType(uint256 moduleTypeId, address module)',
  'error ModuleAlreadyInstalled(uint256 moduleTypeId, address module)',
  'error ModuleNotInstalled(uint256 moduleTypeId, address module)',
  'error CannotRemoveLastValidator(address validator)',
  'error UnsupportedExecutionMode(bytes32 mode)',
  'error UpgradeNotFromSelf(address caller)',
  // ExecutionLib
  'error ExecutionDecodingError()',
  'error NotAnExecuteCall(bytes4 selector)',
  // WebAuthnValidator
  'error InvalidPasskey()',
  'error PasskeyAlreadyRegistered(address account, bytes32 credentialIdHash)',
  'error PasskeyNotRegistered(address account, bytes32 credentialIdHash)',
  'error CannotRemoveLastPasskey(address account)',
  'error EmptyOrigin()',
  'error OriginAlreadyAllowed(address account, bytes32 originHash)',
  'error OriginNotAllowed(address account, bytes32 originHash)',
  // Inherited from OpenZeppelin (Ownable, Initializable, UUPS/ERC-1967 proxy, EIP-712 strings, Create2, Address)
  'error OwnableInvalidOwner(address owner)',
  'error OwnableUnauthorizedAccount(address account)',
  'error InvalidInitialization()',
  'error NotInitializing()',
  'error UUPSUnauthorizedCallContext()',
  'error UUPSUnsupportedProxiableUUID(bytes32 slot)',
  'error ERC1967InvalidImplementation(address implementation)',
  'error ERC1967NonPayable()',
  'error AddressEmptyCode(address target)',
  'error FailedCall()',
  'error InvalidShortString()',
  'error StringTooLong(string str)',
  'error Create2EmptyBytecode()',
  'error FailedDeployment()',
  'error InsufficientBalance(uint256 balance, uint256 needed)',
]);

/** A decoded zkSSO contract error. */
export interface DecodedContractError {
  errorName: string;
  args: readonly unknown[];
}

/**
 * Finds zkSSO revert data in a bundler error message (EntryPoint `AA23 reverted 0x…`) or in raw revert data,
 * and decodes it. Returns undefined when none is recognised.
 *
 * @example
 * ```ts
 * const decoded = decodeZkSsoRevert(error.message);
 * if (decoded?.errorName === 'RotatedJwk') askForFreshLogin();
 * ```
 */
export function decodeZkSsoRevert(messageOrData: string): DecodedContractError | undefined {
  for (const match of messageOrData.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: zkSsoErrorsAbi, data: match[0] as Hex });
      return { errorName, args: args ?? [] };
    } catch {
      // Not one of ours (an address, a hash, a calldata word): keep looking.
    }
  }
  return undefined;
}
