// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title JwkRegistry
/// @notice The OpenID providers' RSA signing keys (JWKs) that zkLogin proofs may use: for each issuer hash
///         (protocol §3) a set of modulus hashes (protocol §7), each Active, Rotated (replaced by another key) or
///         Revoked.
/// @dev Two update authorities: the owner (Ownable2Step; may renounce to leave only the oracles) and a k-of-n
///      oracle quorum that signs EIP-712 batches of updates with a strictly sequential nonce. Rotated and revoked
///      keys never become active again.
contract JwkRegistry is Ownable2Step, EIP712 {
    /// @notice Status of a (issHash, modulusHash) pair.
    enum KeyStatus {
        Unknown,
        Active,
        Rotated,
        Revoked
    }

    /// @notice What an update does: Add a key, Rotate `modulusHash` to `replacement`, or Revoke a key.
    enum Action {
        Add,
        Rotate,
        Revoke
    }

    /// @notice One registry update (the EIP-712 `JwkUpdate` struct).
    struct JwkUpdate {
        Action action;
        uint256 issHash;
        uint256 modulusHash;
        uint256 replacement;
    }

    struct KeyRecord {
        KeyStatus status;
        uint256 replacedBy;
    }

    bytes32 public constant JWK_UPDATE_TYPEHASH =
        keccak256("JwkUpdate(uint8 action,uint256 issHash,uint256 modulusHash,uint256 replacement)");
    bytes32 public constant JWK_BATCH_TYPEHASH = keccak256(
        "JwkBatch(JwkUpdate[] updates,uint256 nonce)JwkUpdate(uint8 action,uint256 issHash,uint256 modulusHash,uint256 replacement)"
    );

    mapping(uint256 issHash => mapping(uint256 modulusHash => KeyRecord)) private _keys;
    mapping(uint256 issHash => uint256[]) private _modulusHashes;

    /// @notice The oracle signers (sorted ascending, no duplicates) and how many must sign a batch.
    address[] private _oracles;
    mapping(address => bool) public isOracle;
    uint256 public threshold;
    /// @notice The nonce the next oracle batch must carry.
    uint256 public nonce;

    /// @notice The key was never registered for this issuer.
    error UnknownJwk(uint256 issHash, uint256 modulusHash);
    /// @notice The key was revoked.
    error RevokedJwk(uint256 issHash, uint256 modulusHash);
    /// @notice The key was rotated out, replaced by `replacedBy`.
    error RotatedJwk(uint256 issHash, uint256 modulusHash, uint256 replacedBy);
    /// @notice Adding or rotating in a key that is already known (in any status).
    error JwkAlreadyRegistered(uint256 issHash, uint256 modulusHash, KeyStatus status);
    /// @notice Rotating or revoking a key whose status does not allow it.
    error JwkNotActive(uint256 issHash, uint256 modulusHash, KeyStatus status);
    /// @notice A zero issuer or modulus hash.
    error ZeroHash();
    /// @notice An oracle batch carried the wrong nonce.
    error InvalidNonce(uint256 expected, uint256 provided);
    /// @notice An oracle batch had fewer valid distinct oracle signatures than the threshold.
    error NotEnoughSignatures(uint256 valid, uint256 required);
    /// @notice Signature `index` is malformed, not from an oracle, or out of ascending signer order.
    error InvalidOracleSignature(uint256 index, address recovered);
    /// @notice The oracle set is not strictly ascending, contains zero, or the threshold is 0 or > n.
    error InvalidOracleSet(uint256 oracles, uint256 threshold);

    event JwkAdded(uint256 indexed issHash, uint256 indexed modulusHash);
    event JwkRotated(uint256 indexed issHash, uint256 indexed modulusHash, uint256 indexed replacement);
    event JwkRevoked(uint256 indexed issHash, uint256 indexed modulusHash);
    event OraclesUpdated(address[] oracles, uint256 threshold);
    event BatchApplied(uint256 indexed nonce, uint256 updates);

    /// @param owner_ The initial owner (update authority); `address(0)` is not allowed by Ownable.
    /// @param oracles_ Initial oracle signers, strictly ascending (may be empty with threshold 0).
    /// @param threshold_ How many oracles must sign a batch.
    constructor(address owner_, address[] memory oracles_, uint256 threshold_)
        Ownable(owner_)
        EIP712("ZkSsoJwkRegistry", "1")
    {
        _setOracles(oracles_, threshold_);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reads
    // ---------------------------------------------------------------------------------------------------------

    /// @notice True if `modulusHash` is an active key of `issHash`.
    function isValidKey(uint256 issHash, uint256 modulusHash) external view returns (bool) {
        return _keys[issHash][modulusHash].status == KeyStatus.Active;
    }

    /// @notice Reverts with UnknownJwk, RotatedJwk or RevokedJwk unless the key is active.
    /// @dev Validators call this so that the reason reaches the user through the bundler's error.
    function checkKey(uint256 issHash, uint256 modulusHash) external view {
        KeyRecord storage record = _keys[issHash][modulusHash];
        KeyStatus status = record.status;
        if (status == KeyStatus.Active) return;
        if (status == KeyStatus.Unknown) revert UnknownJwk(issHash, modulusHash);
        if (status == KeyStatus.Rotated) revert RotatedJwk(issHash, modulusHash, record.replacedBy);
        revert RevokedJwk(issHash, modulusHash);
    }

    /// @notice Status of a key and, if rotated, its replacement.
    function keyStatus(uint256 issHash, uint256 modulusHash)
        external
        view
        returns (KeyStatus status, uint256 replacedBy)
    {
        KeyRecord storage record = _keys[issHash][modulusHash];
        return (record.status, record.replacedBy);
    }

    /// @notice Every modulus hash ever registered for `issHash` (in registration order) with its status.
    function keysOf(uint256 issHash)
        external
        view
        returns (uint256[] memory modulusHashes, KeyStatus[] memory statuses)
    {
        modulusHashes = _modulusHashes[issHash];
        statuses = new KeyStatus[](modulusHashes.length);
        for (uint256 i; i < modulusHashes.length; ++i) {
            statuses[i] = _keys[issHash][modulusHashes[i]].status;
        }
    }

    /// @notice The oracle signers (ascending).
    function oracles() external view returns (address[] memory) {
        return _oracles;
    }

    /// @notice The EIP-712 digest oracles sign for a batch.
    function batchDigest(JwkUpdate[] calldata updates, uint256 batchNonce) public view returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](updates.length);
        for (uint256 i; i < updates.length; ++i) {
            JwkUpdate calldata u = updates[i];
            hashes[i] = keccak256(abi.encode(JWK_UPDATE_TYPEHASH, u.action, u.issHash, u.modulusHash, u.replacement));
        }
        return
            _hashTypedDataV4(keccak256(abi.encode(JWK_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes)), batchNonce)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Owner updates
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Registers `modulusHash` as an active key of `issHash`.
    function addKey(uint256 issHash, uint256 modulusHash) external onlyOwner {
        _add(issHash, modulusHash);
    }

    /// @notice Replaces the active `modulusHash` by the new key `replacement` (the old one stops validating).
    function rotateKey(uint256 issHash, uint256 modulusHash, uint256 replacement) external onlyOwner {
        _rotate(issHash, modulusHash, replacement);
    }

    /// @notice Revokes an active or rotated key.
    function revokeKey(uint256 issHash, uint256 modulusHash) external onlyOwner {
        _revoke(issHash, modulusHash);
    }

    /// @notice Applies several updates atomically.
    function applyUpdates(JwkUpdate[] calldata updates) external onlyOwner {
        _applyAll(updates);
    }

    /// @notice Replaces the oracle set and threshold.
    function setOracles(address[] calldata oracles_, uint256 threshold_) external onlyOwner {
        _setOracles(oracles_, threshold_);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Oracle updates
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Applies a batch signed by at least `threshold` oracles. Anyone may submit it.
    /// @param signatures 65-byte ECDSA signatures over {batchDigest}, ordered by strictly ascending signer.
    function applyOracleBatch(JwkUpdate[] calldata updates, uint256 batchNonce, bytes[] calldata signatures) external {
        if (batchNonce != nonce) revert InvalidNonce(nonce, batchNonce);
        uint256 required = threshold;
        if (required == 0 || signatures.length < required) revert NotEnoughSignatures(signatures.length, required);
        bytes32 digest = batchDigest(updates, batchNonce);
        address previous;
        for (uint256 i; i < signatures.length; ++i) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError || !isOracle[signer] || signer <= previous) {
                revert InvalidOracleSignature(i, signer);
            }
            previous = signer;
        }
        unchecked {
            nonce = batchNonce + 1;
        }
        _applyAll(updates);
        emit BatchApplied(batchNonce, updates.length);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    function _applyAll(JwkUpdate[] calldata updates) private {
        for (uint256 i; i < updates.length; ++i) {
            JwkUpdate calldata u = updates[i];
            if (u.action == Action.Add) _add(u.issHash, u.modulusHash);
            else if (u.action == Action.Rotate) _rotate(u.issHash, u.modulusHash, u.replacement);
            else _revoke(u.issHash, u.modulusHash);
        }
    }

    function _add(uint256 issHash, uint256 modulusHash) private {
        if (issHash == 0 || modulusHash == 0) revert ZeroHash();
        KeyRecord storage record = _keys[issHash][modulusHash];
        if (record.status != KeyStatus.Unknown) revert JwkAlreadyRegistered(issHash, modulusHash, record.status);
        record.status = KeyStatus.Active;
        _modulusHashes[issHash].push(modulusHash);
        emit JwkAdded(issHash, modulusHash);
    }

    function _rotate(uint256 issHash, uint256 modulusHash, uint256 replacement) private {
        KeyRecord storage record = _keys[issHash][modulusHash];
        if (record.status != KeyStatus.Active) revert JwkNotActive(issHash, modulusHash, record.status);
        _add(issHash, replacement);
        record.status = KeyStatus.Rotated;
        record.replacedBy = replacement;
        emit JwkRotated(issHash, modulusHash, replacement);
    }

    function _revoke(uint256 issHash, uint256 modulusHash) private {
        KeyRecord storage record = _keys[issHash][modulusHash];
        if (record.status != KeyStatus.Active && record.status != KeyStatus.Rotated) {
            revert JwkNotActive(issHash, modulusHash, record.status);
        }
        record.status = KeyStatus.Revoked;
        emit JwkRevoked(issHash, modulusHash);
    }

    function _setOracles(address[] memory oracles_, uint256 threshold_) private {
        if (threshold_ > oracles_.length || (threshold_ == 0 && oracles_.length != 0)) {
            revert InvalidOracleSet(oracles_.length, threshold_);
        }
        for (uint256 i; i < _oracles.length; ++i) {
            isOracle[_oracles[i]] = false;
        }
        address previous;
        for (uint256 i; i < oracles_.length; ++i) {
            if (oracles_[i] <= previous) revert InvalidOracleSet(oracles_.length, threshold_);
            previous = oracles_[i];
            isOracle[previous] = true;
        }
        _oracles = oracles_;
        threshold = threshold_;
        emit OraclesUpdated(oracles_, threshold_);
    }
}
