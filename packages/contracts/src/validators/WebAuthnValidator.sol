// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {
    IValidator,
    MODULE_TYPE_VALIDATOR,
    VALIDATION_SUCCESS,
    VALIDATION_FAILED,
    ERC1271_MAGIC_VALUE,
    ERC1271_INVALID
} from "../interfaces/IERC7579.sol";

/// @title WebAuthnValidator
/// @notice ERC-7579 validator for passkeys (WebAuthn assertions signed with P-256). An account may hold several
///         passkeys; each is bound to a relying-party id (rpIdHash) and optionally to one web origin. An account
///         may also allow extra web origins (e.g. several apps under one rpId), which every origin-bound passkey of
///         the account then accepts too.
/// @dev Layouts (docs/contracts.md, "WebAuthnValidator"):
///      install data / addPasskey: `abi.encode(bytes credentialId, uint256 x, uint256 y, string origin,
///      bytes32 rpIdHash)`; origin "" means any origin of the rpId is accepted.
///      signature: `abi.encode(bytes32 credentialIdHash, bytes authenticatorData, string clientDataJSON,
///      uint256 challengeIndex, uint256 typeIndex, uint256 originIndex, uint256 r, uint256 s)` where
///      credentialIdHash = keccak256(credentialId) and the indices point at `"challenge":"`, `"type":"` and
///      `"origin":"` inside clientDataJSON. The challenge is base64url(hash) without padding: the userOpHash
///      for user operations, the ERC-1271 hash for signatures.
///      Storage read during validation is keyed by the account last (`_passkeys[credentialIdHash][account]`), so
///      its slots are "associated with the sender" under ERC-7562 and an unstaked module may be used; the same
///      holds for the allowed-origin flags (`_originAllowed[originHash][account]`).
///      validateUserOp never reverts on a bad signature: it returns VALIDATION_FAILED (1), so bundlers can estimate
///      gas with a dummy signature; isValidSignatureWithSender returns 0xffffffff. Configuration calls revert with
///      the typed errors below. Use {checkSignature} to learn why a signature is rejected.
contract WebAuthnValidator is IValidator {
    using EnumerableSet for EnumerableSet.Bytes32Set;
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice A registered passkey. `originHash` is keccak256(bytes(origin)), or zero for "any origin".
    struct Passkey {
        uint256 x;
        uint256 y;
        bytes32 rpIdHash;
        bytes32 originHash;
    }

    /// @notice Why a signature was rejected ({checkSignature}); `None` means it is valid.
    enum Failure {
        None,
        /// The signature is not the ABI encoding described above (offsets or lengths outside the buffer).
        MalformedSignature,
        /// No passkey with this credentialIdHash is registered for the account.
        UnknownCredential,
        /// authenticatorData is shorter than 37 bytes or its rpIdHash is not the passkey's.
        RpIdMismatch,
        /// The passkey is bound to an origin and clientDataJSON does not carry, at originIndex, exactly that origin
        /// or one the account allows ({addOrigin}).
        OriginMismatch,
        /// OpenZeppelin WebAuthn.verify failed: type is not "webauthn.get", the challenge is not base64url(hash),
        /// UP or UV is unset, BS is set without BE, s is high, or the P-256 signature does not verify.
        AssertionInvalid
    }

    /// @notice Passkey data is invalid: empty credential id, zero rpIdHash or a point not on P-256.
    error InvalidPasskey();
    /// @notice The account already holds a passkey with this credential id.
    error PasskeyAlreadyRegistered(address account, bytes32 credentialIdHash);
    /// @notice The account holds no passkey with this credential id.
    error PasskeyNotRegistered(address account, bytes32 credentialIdHash);
    /// @notice Removing this passkey would leave the account without one; uninstall the module instead.
    error CannotRemoveLastPasskey(address account);
    /// @notice An allowed origin must not be empty ("" already means "any origin" on a passkey).
    error EmptyOrigin();
    /// @notice The account already allows this origin.
    error OriginAlreadyAllowed(address account, bytes32 originHash);
    /// @notice The account does not allow this origin.
    error OriginNotAllowed(address account, bytes32 originHash);

    /// @notice A passkey was registered for `account`. The full credential id is logged for login discovery.
    event PasskeyAdded(
        address indexed account,
        bytes32 indexed credentialIdHash,
        bytes credentialId,
        uint256 x,
        uint256 y,
        string origin,
        bytes32 rpIdHash
    );
    /// @notice A passkey was removed from `account`.
    event PasskeyRemoved(address indexed account, bytes32 indexed credentialIdHash);
    /// @notice `account` allows `origin` (originHash = keccak256(bytes(origin))) for its origin-bound passkeys.
    event OriginAdded(address indexed account, bytes32 indexed originHash, string origin);
    /// @notice `account` no longer allows the origin hashing to `originHash` (the string is in {OriginAdded}).
    event OriginRemoved(address indexed account, bytes32 indexed originHash);

    /// @dev `"origin":"`, the 10 bytes expected at originIndex.
    bytes10 private constant ORIGIN_KEY = bytes10('"origin":"');

    mapping(bytes32 credentialIdHash => mapping(address account => Passkey)) private _passkeys;
    mapping(address account => EnumerableSet.Bytes32Set) private _credentialsOf;
    mapping(bytes32 credentialIdHash => EnumerableSet.AddressSet) private _accountsOf;
    /// @dev Read during validation: the account is the inner key, so the slot is associated with it (ERC-7562).
    mapping(bytes32 originHash => mapping(address account => bool)) private _originAllowed;
    /// @dev The same origins, enumerable, so onUninstall can clear them (configuration calls only).
    mapping(address account => EnumerableSet.Bytes32Set) private _originsOf;

    // ------------------------------------------------------------------------------------------------------------
    // ERC-7579 module configuration
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Installs the module for msg.sender with its first passkey (install data layout above).
    function onInstall(bytes calldata data) external override {
        if (_credentialsOf[msg.sender].length() != 0) revert AlreadyInitialized(msg.sender);
        (bytes memory credentialId, uint256 x, uint256 y, string memory origin, bytes32 rpIdHash) =
            abi.decode(data, (bytes, uint256, uint256, string, bytes32));
        _addPasskey(msg.sender, credentialId, x, y, origin, rpIdHash);
    }

    /// @notice Removes every passkey and every allowed origin of msg.sender (data is ignored), so a later install
    ///         starts clean.
    function onUninstall(bytes calldata) external override {
        EnumerableSet.Bytes32Set storage credentials = _credentialsOf[msg.sender];
        if (credentials.length() == 0) revert NotInitialized(msg.sender);
        while (credentials.length() != 0) {
            _removePasskey(msg.sender, credentials.at(credentials.length() - 1));
        }
        EnumerableSet.Bytes32Set storage origins = _originsOf[msg.sender];
        while (origins.length() != 0) {
            _removeOrigin(msg.sender, origins.at(origins.length() - 1));
        }
    }

    /// @notice True for the validator type (1) only.
    function isModuleType(uint256 moduleTypeId) external pure override returns (bool) {
        return moduleTypeId == MODULE_TYPE_VALIDATOR;
    }

    /// @notice True if `smartAccount` holds at least one passkey.
    function isInitialized(address smartAccount) external view override returns (bool) {
        return _credentialsOf[smartAccount].length() != 0;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Passkey management (called by the account itself, through execute)
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Adds a passkey to msg.sender (the account), which must have the module installed.
    function addPasskey(bytes calldata credentialId, uint256 x, uint256 y, string calldata origin, bytes32 rpIdHash)
        external
    {
        if (_credentialsOf[msg.sender].length() == 0) revert NotInitialized(msg.sender);
        _addPasskey(msg.sender, credentialId, x, y, origin, rpIdHash);
    }

    /// @notice Removes a passkey of msg.sender; the last one cannot be removed (uninstall the module instead).
    function removePasskey(bytes32 credentialIdHash) external {
        if (_credentialsOf[msg.sender].length() == 1 && _credentialsOf[msg.sender].contains(credentialIdHash)) {
            revert CannotRemoveLastPasskey(msg.sender);
        }
        _removePasskey(msg.sender, credentialIdHash);
    }

    /// @notice Allows `origin` (e.g. `https://app.example`) for every origin-bound passkey of msg.sender (the
    ///         account), which must have the module installed. The passkey's rpIdHash is still checked, so only
    ///         origins under each passkey's rpId can produce a valid assertion.
    function addOrigin(string calldata origin) external {
        if (_credentialsOf[msg.sender].length() == 0) revert NotInitialized(msg.sender);
        if (bytes(origin).length == 0) revert EmptyOrigin();
        bytes32 originHash = keccak256(bytes(origin));
        if (!_originsOf[msg.sender].add(originHash)) revert OriginAlreadyAllowed(msg.sender, originHash);
        _originAllowed[originHash][msg.sender] = true;
        emit OriginAdded(msg.sender, originHash, origin);
    }

    /// @notice Stops allowing `origin` for msg.sender's passkeys (a passkey's own origin stays accepted).
    function removeOrigin(string calldata origin) external {
        _removeOrigin(msg.sender, keccak256(bytes(origin)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------------------

    /// @notice The passkey `credentialIdHash` of `account` (all zero if none).
    function getPasskey(address account, bytes32 credentialIdHash) external view returns (Passkey memory) {
        return _passkeys[credentialIdHash][account];
    }

    /// @notice The credential id hashes registered for `account`.
    function credentialsOf(address account) external view returns (bytes32[] memory) {
        return _credentialsOf[account].values();
    }

    /// @notice True if `account` allows `origin` through {addOrigin} (a passkey's own origin is not listed here).
    function isOriginAllowed(address account, string calldata origin) external view returns (bool) {
        return _originAllowed[keccak256(bytes(origin))][account];
    }

    /// @notice Accounts that registered `credentialIdHash` (login discovery). Anyone can register any credential
    ///         id on their own account, so callers must check each candidate (e.g. against the public key recovered
    ///         from an assertion) and prefer the counterfactual passkey-account address (protocol §9).
    function accountsOf(bytes32 credentialIdHash) external view returns (address[] memory) {
        return _accountsOf[credentialIdHash].values();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Validation
    // ------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IValidator
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash)
        external
        view
        override
        returns (uint256)
    {
        return _check(msg.sender, userOpHash, userOp.signature) == Failure.None ? VALIDATION_SUCCESS : VALIDATION_FAILED;
    }

    /// @inheritdoc IValidator
    function isValidSignatureWithSender(address, bytes32 hash, bytes calldata data)
        external
        view
        override
        returns (bytes4)
    {
        return _check(msg.sender, hash, data) == Failure.None ? ERC1271_MAGIC_VALUE : ERC1271_INVALID;
    }

    /// @notice Diagnoses `signature` for `account` over `hash` (the same check validation runs).
    function checkSignature(address account, bytes32 hash, bytes calldata signature) external view returns (Failure) {
        return _check(account, hash, signature);
    }

    function _check(address account, bytes32 hash, bytes calldata signature) private view returns (Failure) {
        (bool wellFormed, bytes32 credentialIdHash, bytes calldata authenticatorData, bytes calldata clientDataJSON) =
            _decodeDynamic(signature);
        if (!wellFormed) return Failure.MalformedSignature;

        Passkey storage passkey = _passkeys[credentialIdHash][account];
        {
            // Scoped so that its stack slot is free for the origin check below ("stack too deep" otherwise).
            bytes32 rpIdHash = passkey.rpIdHash;
            if (rpIdHash == bytes32(0)) return Failure.UnknownCredential; // registration requires a non-zero rpIdHash
            if (authenticatorData.length < 37 || bytes32(authenticatorData[0:32]) != rpIdHash) {
                return Failure.RpIdMismatch;
            }
        }
        bytes32 originHash = passkey.originHash;
        if (originHash != bytes32(0) && !_originAccepted(account, clientDataJSON, _word(signature, 5), originHash)) {
            return Failure.OriginMismatch;
        }

        return _assertionValid(hash, signature, authenticatorData, clientDataJSON, passkey)
            ? Failure.None
            : Failure.AssertionInvalid;
    }

    /// @dev OpenZeppelin's WebAuthn.verify (type, challenge, UP, UV, BE/BS, low-s, P-256 precompile or fallback).
    function _assertionValid(
        bytes32 hash,
        bytes calldata signature,
        bytes calldata authenticatorData,
        bytes calldata clientDataJSON,
        Passkey storage passkey
    ) private view returns (bool) {
        // OZ reads 32 bytes at typeIndex without bounding it first (an out-of-range index costs all the gas in
        // memory expansion), so indices outside clientDataJSON are refused here.
        uint256 challengeIndex = _word(signature, 3);
        uint256 typeIndex = _word(signature, 4);
        if (challengeIndex >= clientDataJSON.length || typeIndex >= clientDataJSON.length) return false;
        WebAuthn.WebAuthnAuth memory auth = WebAuthn.WebAuthnAuth({
            r: bytes32(_word(signature, 6)),
            s: bytes32(_word(signature, 7)),
            challengeIndex: challengeIndex,
            typeIndex: typeIndex,
            authenticatorData: authenticatorData,
            clientDataJSON: string(clientDataJSON)
        });
        return WebAuthn.verify(abi.encodePacked(hash), auth, bytes32(passkey.x), bytes32(passkey.y), true);
    }

    /// @dev Bounds-checked view of the signature's head word 0 and its two dynamic fields (head words 1 and 2).
    ///      Never reverts: a malformed encoding yields wellFormed = false.
    function _decodeDynamic(bytes calldata signature)
        private
        pure
        returns (
            bool wellFormed,
            bytes32 credentialIdHash,
            bytes calldata authenticatorData,
            bytes calldata clientDataJSON
        )
    {
        authenticatorData = signature[0:0];
        clientDataJSON = signature[0:0];
        if (signature.length < 8 * 32) return (false, 0, authenticatorData, clientDataJSON);
        credentialIdHash = bytes32(signature[0:32]);
        bool ok;
        (ok, authenticatorData) = _dynamicField(signature, _word(signature, 1));
        if (!ok) return (false, 0, authenticatorData, clientDataJSON);
        (ok, clientDataJSON) = _dynamicField(signature, _word(signature, 2));
        if (!ok) return (false, 0, authenticatorData, clientDataJSON);
        return (true, credentialIdHash, authenticatorData, clientDataJSON);
    }

    /// @dev The bytes at ABI offset `offset` (a length word then the data), if they lie inside `buffer`.
    function _dynamicField(bytes calldata buffer, uint256 offset) private pure returns (bool, bytes calldata) {
        uint256 length = buffer.length;
        if (offset > length - 32) return (false, buffer[0:0]);
        uint256 fieldLength = uint256(bytes32(buffer[offset:offset + 32]));
        if (fieldLength > length - offset - 32) return (false, buffer[0:0]);
        return (true, buffer[offset + 32:offset + 32 + fieldLength]);
    }

    /// @dev Head word `index` of an ABI-encoded tuple (caller checked the buffer holds the head).
    function _word(bytes calldata buffer, uint256 index) private pure returns (uint256) {
        return uint256(bytes32(buffer[index * 32:index * 32 + 32]));
    }

    /// @dev True if clientDataJSON has `"origin":"` at originIndex followed by a value and a closing quote, and the
    ///      value hashes to originHash (the passkey's) or to an origin `account` allows. Browsers escape `"` inside
    ///      JSON strings, so the first `"` after the key closes the value. The value is hashed once and compared
    ///      with the passkey's origin first, so the usual case reads no further storage.
    function _originAccepted(address account, bytes calldata clientDataJSON, uint256 originIndex, bytes32 originHash)
        private
        view
        returns (bool)
    {
        uint256 length = clientDataJSON.length;
        if (originIndex >= length || length - originIndex < 11) return false;
        if (bytes10(clientDataJSON[originIndex:originIndex + 10]) != ORIGIN_KEY) return false;
        uint256 start = originIndex + 10;
        for (uint256 i = start; i < length; ++i) {
            if (clientDataJSON[i] == '"') {
                bytes32 valueHash = keccak256(clientDataJSON[start:i]);
                return valueHash == originHash || _originAllowed[valueHash][account];
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Storage helpers
    // ------------------------------------------------------------------------------------------------------------

    function _addPasskey(
        address account,
        bytes memory credentialId,
        uint256 x,
        uint256 y,
        string memory origin,
        bytes32 rpIdHash
    ) private {
        if (credentialId.length == 0 || rpIdHash == bytes32(0) || !P256.isValidPublicKey(bytes32(x), bytes32(y))) {
            revert InvalidPasskey();
        }
        bytes32 credentialIdHash = keccak256(credentialId);
        if (!_credentialsOf[account].add(credentialIdHash)) {
            revert PasskeyAlreadyRegistered(account, credentialIdHash);
        }
        bytes32 originHash = bytes(origin).length == 0 ? bytes32(0) : keccak256(bytes(origin));
        _passkeys[credentialIdHash][account] = Passkey({x: x, y: y, rpIdHash: rpIdHash, originHash: originHash});
        _accountsOf[credentialIdHash].add(account);
        emit PasskeyAdded(account, credentialIdHash, credentialId, x, y, origin, rpIdHash);
    }

    function _removePasskey(address account, bytes32 credentialIdHash) private {
        if (!_credentialsOf[account].remove(credentialIdHash)) {
            revert PasskeyNotRegistered(account, credentialIdHash);
        }
        delete _passkeys[credentialIdHash][account];
        _accountsOf[credentialIdHash].remove(account);
        emit PasskeyRemoved(account, credentialIdHash);
    }

    function _removeOrigin(address account, bytes32 originHash) private {
        if (!_originsOf[account].remove(originHash)) revert OriginNotAllowed(account, originHash);
        delete _originAllowed[originHash][account];
        emit OriginRemoved(account, originHash);
    }
}
