// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {
    IValidator,
    MODULE_TYPE_VALIDATOR,
    VALIDATION_FAILED,
    ERC1271_MAGIC_VALUE,
    ERC1271_INVALID
} from "../interfaces/IERC7579.sol";
import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";
import {JwkRegistry} from "../registry/JwkRegistry.sol";

/// @title ZkLoginValidator
/// @notice ERC-7579 validator for OpenID ("sign in with Google") accounts (protocol §5-§10). An account stores
///         its issuer hash and identity commitment; a Groth16 proof that a provider-signed ID token binds an
///         ephemeral key to that identity registers the key until its expiry (mode 0x01); afterwards the
///         ephemeral key alone signs (mode 0x02).
/// @dev ERC-7562: all state written or read per account is account-associated (mappings keyed by the account,
///      the account being the innermost key). Two reads are not: the verifier table (this contract's own
///      storage) and the JwkRegistry. Both are non-associated storage reads, so a bundler enforcing ERC-7562
///      accepts mode 0x01 only when this validator's entity is staked or whitelisted (see docs/contracts.md).
///      No TIMESTAMP: expiry is returned as `validUntil` and enforced by the EntryPoint.
///
///      Failures: a wrong proof or a wrong ephemeral signature returns VALIDATION_FAILED (ERC-4337's signature
///      failure, which keeps gas estimation with placeholder signatures working); every other failure reverts
///      with a descriptive custom error (UnknownJwk, RotatedJwk, RevokedJwk from the registry, UnknownTier,
///      UnknownEphemeralKey, ...), since a validation code would lose the reason.
contract ZkLoginValidator is IValidator, Ownable2Step {
    /// @notice keyType 1: secp256k1, keyBytes = 20-byte address; 65-byte `r ‖ s ‖ v` signature over the hash.
    uint8 public constant KEY_TYPE_SECP256K1 = 1;
    /// @notice keyType 2: P-256, keyBytes = `x ‖ y` (64 bytes); 64-byte `r ‖ s` signature over sha256(hash).
    uint8 public constant KEY_TYPE_P256 = 2;
    uint8 public constant MODE_PROVE = 0x01;
    uint8 public constant MODE_KEY = 0x02;

    /// @dev Offsets of the mode 0x01 signature (protocol §10).
    uint256 private constant PROOF_OFFSET = 3;
    uint256 private constant MODULUS_OFFSET = 259;
    uint256 private constant EXPIRY_OFFSET = 291;
    uint256 private constant KEY_TYPE_OFFSET = 297;
    uint256 private constant KEY_OFFSET = 298;

    /// @notice An account's OpenID identity.
    struct Identity {
        uint256 issHash;
        uint256 idc;
        uint64 epoch;
        bool initialized;
    }

    /// @notice An ephemeral key registered for an account.
    struct EphemeralKey {
        uint48 expiry;
        uint64 epoch;
        bool revoked;
    }

    /// @notice The JWK registry proofs are checked against.
    JwkRegistry public immutable registry;

    /// @notice Groth16 verifier per size tier (max `header.payload` bytes). Set once per tier, never replaced.
    mapping(uint16 tier => IGroth16Verifier) public verifiers;

    mapping(address account => Identity) private _identities;
    /// @dev keyId => account => key: the account is the innermost key, so slots are account-associated.
    mapping(bytes32 keyId => mapping(address account => EphemeralKey)) private _keys;

    /// @notice The signature's length does not match its mode and key type.
    error InvalidSignatureLength(uint256 length);
    /// @notice The mode byte is neither 0x01 nor 0x02.
    error UnknownMode(uint8 mode);
    /// @notice keyType is neither 1 nor 2.
    error UnknownKeyType(uint8 keyType);
    /// @notice No verifier for this size tier.
    error UnknownTier(uint16 tier);
    /// @notice A verifier for this tier is already set (verifiers are never replaced).
    error TierAlreadySet(uint16 tier);
    /// @notice A zero verifier address or tier.
    error InvalidVerifier(uint16 tier, address verifier);
    /// @notice The install data has a zero issHash or idc.
    error InvalidIdentity(uint256 issHash, uint256 idc);
    /// @notice Mode 0x02 with a key that was never registered for the account (or was, before reinstallation).
    error UnknownEphemeralKey(address account, bytes32 keyId);
    /// @notice The ephemeral key was revoked by the account.
    error EphemeralKeyRevoked(address account, bytes32 keyId);
    /// @notice The expiry of a proof must be non-zero.
    error InvalidExpiry(uint48 expiry);

    event IdentitySet(address indexed account, uint256 indexed issHash, uint256 indexed idc);
    event IdentityRemoved(address indexed account);
    event EphemeralKeyRegistered(address indexed account, bytes32 indexed keyId, uint48 expiry, uint16 tier);
    event EphemeralKeyRevokedBy(address indexed account, bytes32 indexed keyId);
    event VerifierSet(uint16 indexed tier, address verifier);

    /// @param registry_ The JwkRegistry.
    /// @param owner_ May add verifiers for new tiers (never replace one).
    /// @param tiers Initial tiers, parallel to `verifiers_`.
    constructor(JwkRegistry registry_, address owner_, uint16[] memory tiers, IGroth16Verifier[] memory verifiers_)
        Ownable(owner_)
    {
        registry = registry_;
        for (uint256 i; i < tiers.length; ++i) {
            _setVerifier(tiers[i], verifiers_[i]);
        }
    }

    /// @notice Adds the verifier of a new size tier.
    function setVerifier(uint16 tier, IGroth16Verifier verifier) external onlyOwner {
        _setVerifier(tier, verifier);
    }

    // ---------------------------------------------------------------------------------------------------------
    // IModule
    // ---------------------------------------------------------------------------------------------------------

    /// @notice See {IModule}.
    /// @dev `data = abi.encode(uint256 issHash, uint256 idc)`.
    function onInstall(bytes calldata data) external {
        Identity storage identity = _identities[msg.sender];
        if (identity.initialized) revert AlreadyInitialized(msg.sender);
        (uint256 issHash, uint256 idc) = abi.decode(data, (uint256, uint256));
        if (issHash == 0 || idc == 0) revert InvalidIdentity(issHash, idc);
        identity.issHash = issHash;
        identity.idc = idc;
        identity.initialized = true;
        emit IdentitySet(msg.sender, issHash, idc);
    }

    /// @notice See {IModule}.
    /// @dev Bumps the account's epoch, so keys registered before are dead even if the module is reinstalled.
    function onUninstall(bytes calldata) external {
        Identity storage identity = _identities[msg.sender];
        if (!identity.initialized) revert NotInitialized(msg.sender);
        identity.issHash = 0;
        identity.idc = 0;
        identity.initialized = false;
        unchecked {
            ++identity.epoch;
        }
        emit IdentityRemoved(msg.sender);
    }

    /// @notice See {IModule}.
    function isModuleType(uint256 moduleTypeId) external pure returns (bool) {
        return moduleTypeId == MODULE_TYPE_VALIDATOR;
    }

    /// @notice See {IModule}.
    function isInitialized(address account) external view returns (bool) {
        return _identities[account].initialized;
    }

    /// @notice An account's issuer hash and identity commitment.
    function identityOf(address account) external view returns (uint256 issHash, uint256 idc) {
        Identity storage identity = _identities[account];
        return (identity.issHash, identity.idc);
    }

    /// @notice The registration of `keyId` for `account`: expiry (0 if none/stale) and whether it was revoked.
    function keyOf(address account, bytes32 keyId) external view returns (uint48 expiry, bool revoked) {
        EphemeralKey storage key = _keys[keyId][account];
        if (key.epoch != _identities[account].epoch) return (0, false);
        return (key.expiry, key.revoked);
    }

    /// @notice Revokes an ephemeral key of the calling account (for good: its proof cannot register it again).
    function revokeKey(bytes32 keyId) external {
        if (!_identities[msg.sender].initialized) revert NotInitialized(msg.sender);
        EphemeralKey storage key = _keys[keyId][msg.sender];
        key.revoked = true;
        key.epoch = _identities[msg.sender].epoch;
        emit EphemeralKeyRevokedBy(msg.sender, keyId);
    }

    /// @notice keyId = keccak256(uint8 keyType ‖ keyBytes) (protocol §5).
    function keyIdOf(uint8 keyType, bytes calldata keyBytes) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(keyType, keyBytes));
    }

    // ---------------------------------------------------------------------------------------------------------
    // IValidator
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IValidator
    /// @dev `userOp.signature` is the validator signature (prefix stripped by the account).
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash) external returns (uint256) {
        bytes calldata sig = userOp.signature;
        if (sig.length == 0) revert InvalidSignatureLength(0);
        uint8 mode = uint8(sig[0]);
        if (mode == MODE_PROVE) {
            (bool proofOk, bytes32 keyId, uint48 expiry, uint16 tier) = _checkProof(msg.sender, sig);
            if (!proofOk) return VALIDATION_FAILED;
            EphemeralKey storage key = _keys[keyId][msg.sender];
            uint64 epoch = _identities[msg.sender].epoch;
            if (key.revoked && key.epoch == epoch) revert EphemeralKeyRevoked(msg.sender, keyId);
            // Written before the signature check on purpose: a failed check makes the EntryPoint revert the
            // whole operation (AA24), undoing the writes, while gas estimation with a placeholder signature
            // still pays for them.
            key.expiry = expiry;
            key.epoch = epoch;
            key.revoked = false;
            emit EphemeralKeyRegistered(msg.sender, keyId, expiry, tier);
            if (!_checkEphemeral(sig[KEY_TYPE_OFFSET:], userOpHash)) return VALIDATION_FAILED;
            return _validUntil(expiry);
        }
        if (mode == MODE_KEY) {
            uint48 expiry = _registeredExpiry(msg.sender, sig[1:]);
            if (!_checkEphemeral(sig[1:], userOpHash)) return VALIDATION_FAILED;
            return _validUntil(expiry);
        }
        revert UnknownMode(mode);
    }

    /// @inheritdoc IValidator
    /// @dev Mode 0x02 with a registered, unexpired key, or mode 0x01 checked statelessly (proof + signature).
    function isValidSignatureWithSender(address, bytes32 hash, bytes calldata data) external view returns (bytes4) {
        if (data.length == 0) return ERC1271_INVALID;
        uint8 mode = uint8(data[0]);
        uint48 expiry;
        bytes calldata keyAndSig;
        if (mode == MODE_PROVE) {
            bool proofOk;
            (proofOk,, expiry,) = _checkProof(msg.sender, data);
            if (!proofOk) return ERC1271_INVALID;
            keyAndSig = data[KEY_TYPE_OFFSET:];
        } else if (mode == MODE_KEY) {
            expiry = _registeredExpiry(msg.sender, data[1:]);
            keyAndSig = data[1:];
        } else {
            return ERC1271_INVALID;
        }
        if (expiry <= block.timestamp) return ERC1271_INVALID;
        return _checkEphemeral(keyAndSig, hash) ? ERC1271_MAGIC_VALUE : ERC1271_INVALID;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Parses a mode 0x01 signature, checks its JWK and verifies its proof against the account's identity.
    function _checkProof(address account, bytes calldata sig)
        private
        view
        returns (bool ok, bytes32 keyId, uint48 expiry, uint16 tier)
    {
        Identity storage identity = _identities[account];
        if (!identity.initialized) revert NotInitialized(account);
        if (sig.length <= KEY_OFFSET) revert InvalidSignatureLength(sig.length);
        uint8 keyType = uint8(sig[KEY_TYPE_OFFSET]);
        uint256 keyLength = _keyLength(keyType);
        if (sig.length != KEY_OFFSET + keyLength + _sigLength(keyType)) revert InvalidSignatureLength(sig.length);

        tier = uint16(bytes2(sig[1:3]));
        IGroth16Verifier verifier = verifiers[tier];
        if (address(verifier) == address(0)) revert UnknownTier(tier);

        uint256 modulusHash = uint256(bytes32(sig[MODULUS_OFFSET:EXPIRY_OFFSET]));
        expiry = uint48(bytes6(sig[EXPIRY_OFFSET:KEY_TYPE_OFFSET]));
        if (expiry == 0) revert InvalidExpiry(expiry);
        uint256 issHash = identity.issHash;
        // Reverts with UnknownJwk / RotatedJwk / RevokedJwk: the reason reaches the bundler's caller.
        registry.checkKey(issHash, modulusHash);

        keyId = keccak256(sig[KEY_TYPE_OFFSET:KEY_OFFSET + keyLength]);
        uint256[6] memory pub =
            [issHash, identity.idc, uint256(keyId) >> 128, uint256(keyId) & type(uint128).max, expiry, modulusHash];
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) =
            abi.decode(sig[PROOF_OFFSET:MODULUS_OFFSET], (uint256[2], uint256[2][2], uint256[2]));
        ok = verifier.verifyProof(a, b, c, pub);
    }

    /// @dev The expiry of the key in `keyAndSig` (keyType ‖ keyBytes ‖ sig) registered for `account`.
    function _registeredExpiry(address account, bytes calldata keyAndSig) private view returns (uint48) {
        Identity storage identity = _identities[account];
        if (!identity.initialized) revert NotInitialized(account);
        if (keyAndSig.length == 0) revert InvalidSignatureLength(1);
        uint8 keyType = uint8(keyAndSig[0]);
        uint256 keyLength = _keyLength(keyType);
        if (keyAndSig.length != 1 + keyLength + _sigLength(keyType)) {
            revert InvalidSignatureLength(keyAndSig.length + 1);
        }
        bytes32 keyId = keccak256(keyAndSig[0:1 + keyLength]);
        EphemeralKey storage key = _keys[keyId][account];
        if (key.epoch != identity.epoch || key.expiry == 0) revert UnknownEphemeralKey(account, keyId);
        if (key.revoked) revert EphemeralKeyRevoked(account, keyId);
        return key.expiry;
    }

    /// @dev Checks `keyType ‖ keyBytes ‖ signature` (lengths already checked) over `hash` (protocol §5).
    function _checkEphemeral(bytes calldata keyAndSig, bytes32 hash) private view returns (bool) {
        uint8 keyType = uint8(keyAndSig[0]);
        if (keyType == KEY_TYPE_SECP256K1) {
            address signer = address(bytes20(keyAndSig[1:21]));
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, keyAndSig[21:86]);
            return err == ECDSA.RecoverError.NoError && recovered == signer;
        }
        bytes32 qx = bytes32(keyAndSig[1:33]);
        bytes32 qy = bytes32(keyAndSig[33:65]);
        bytes32 r = bytes32(keyAndSig[65:97]);
        bytes32 s = bytes32(keyAndSig[97:129]);
        // OZ P256 rejects high-s; signers normalise s (protocol §5). Uses the RIP-7212 precompile when present.
        return P256.verify(sha256(abi.encodePacked(hash)), r, s, qx, qy);
    }

    function _keyLength(uint8 keyType) private pure returns (uint256) {
        if (keyType == KEY_TYPE_SECP256K1) return 20;
        if (keyType == KEY_TYPE_P256) return 64;
        revert UnknownKeyType(keyType);
    }

    function _sigLength(uint8 keyType) private pure returns (uint256) {
        return keyType == KEY_TYPE_SECP256K1 ? 65 : 64;
    }

    function _validUntil(uint48 expiry) private pure returns (uint256) {
        // validationData = authorizer (0 = ok) | validUntil << 160 | validAfter (0) << 208.
        return uint256(expiry) << 160;
    }

    function _setVerifier(uint16 tier, IGroth16Verifier verifier) private {
        if (tier == 0 || address(verifier) == address(0)) revert InvalidVerifier(tier, address(verifier));
        if (address(verifiers[tier]) != address(0)) revert TierAlreadySet(tier);
        verifiers[tier] = verifier;
        emit VerifierSet(tier, address(verifier));
    }
}
