// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BasePaymaster} from "@account-abstraction/contracts/core/BasePaymaster.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {_packValidationData} from "@account-abstraction/contracts/core/Helpers.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title VerifyingPaymaster
/// @notice ERC-4337 v0.8 paymaster that sponsors user operations approved off chain by one of its signers (the
///         zkSSO sponsor service signs onboarding and session operations it agrees to pay for).
/// @dev paymasterAndData layout:
///      | offset | bytes | field |
///      | 0   | 20 | paymaster address |
///      | 20  | 16 | paymasterVerificationGasLimit (uint128, EntryPoint v0.8 packing) |
///      | 36  | 16 | paymasterPostOpGasLimit (uint128) |
///      | 52  | 64 | abi.encode(uint48 validUntil, uint48 validAfter) |
///      | 116 | 65 | ECDSA signature r ‖ s ‖ v (low s, v 27/28) by a signer over the EIP-191 personal_sign
///      |     |    | digest of {getHash}(userOp, validUntil, validAfter) |
///      Total 181 bytes exactly.
///      The hash covers every user-operation field except the signature and the paymaster's own signature, plus the
///      chain id, this paymaster's address and the validity window. A wrong signer yields SIG_VALIDATION_FAILED in the
///      validation data (the EntryPoint rejects the operation); a malformed paymasterAndData reverts.
///      Signers live in storage, which ERC-7562 lets a paymaster read during validation only when it is staked:
///      call {addStake} before using it with a standard bundler.
contract VerifyingPaymaster is BasePaymaster {
    uint256 private constant VALIDITY_OFFSET = PAYMASTER_DATA_OFFSET;
    uint256 private constant SIGNATURE_OFFSET = VALIDITY_OFFSET + 64;

    /// @notice Addresses whose approvals the paymaster honours. Several may be active during a rotation.
    mapping(address signer => bool) public isSigner;

    /// @notice paymasterAndData is not exactly 181 bytes (52 + 64 + a 65-byte signature).
    error InvalidPaymasterData(uint256 length);
    /// @notice The zero address cannot be a signer.
    error InvalidSigner(address signer);

    event SignerSet(address indexed signer, bool allowed);

    /// @param entryPoint_ The EntryPoint v0.8.
    /// @param owner_ Owner (signer rotation, deposit withdrawal, stake).
    /// @param signer First approval signer.
    constructor(IEntryPoint entryPoint_, address owner_, address signer) BasePaymaster(entryPoint_) {
        _setSigner(signer, true);
        if (owner_ != msg.sender) _transferOwnership(owner_);
    }

    /// @notice Allows or revokes `signer` (rotation: allow the new one, then revoke the old one).
    function setSigner(address signer, bool allowed) external onlyOwner {
        _setSigner(signer, allowed);
    }

    /// @notice The hash a signer approves (before the EIP-191 prefix) for `userOp` and the validity window.
    function getHash(PackedUserOperation calldata userOp, uint48 validUntil, uint48 validAfter)
        public
        view
        returns (bytes32)
    {
        return keccak256(
            abi.encode(
                userOp.sender,
                userOp.nonce,
                keccak256(userOp.initCode),
                keccak256(userOp.callData),
                userOp.accountGasLimits,
                uint256(bytes32(userOp.paymasterAndData[PAYMASTER_VALIDATION_GAS_OFFSET:PAYMASTER_DATA_OFFSET])),
                userOp.preVerificationGas,
                userOp.gasFees,
                block.chainid,
                address(this),
                validUntil,
                validAfter
            )
        );
    }

    /// @notice Splits paymasterAndData into the validity window and the signature (reverts if malformed).
    function parsePaymasterAndData(bytes calldata paymasterAndData)
        public
        pure
        returns (uint48 validUntil, uint48 validAfter, bytes calldata signature)
    {
        uint256 length = paymasterAndData.length;
        if (length != SIGNATURE_OFFSET + 65) revert InvalidPaymasterData(length);
        (validUntil, validAfter) = abi.decode(paymasterAndData[VALIDITY_OFFSET:SIGNATURE_OFFSET], (uint48, uint48));
        signature = paymasterAndData[SIGNATURE_OFFSET:];
    }

    /// @dev Returns an empty context (no postOp) and the validity window, with sigFailed when the signer is unknown.
    function _validatePaymasterUserOp(PackedUserOperation calldata userOp, bytes32, uint256)
        internal
        view
        override
        returns (bytes memory context, uint256 validationData)
    {
        (uint48 validUntil, uint48 validAfter, bytes calldata signature) =
            parsePaymasterAndData(userOp.paymasterAndData);
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(getHash(userOp, validUntil, validAfter));
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(digest, signature);
        bool approved = error == ECDSA.RecoverError.NoError && isSigner[recovered];
        return ("", _packValidationData(!approved, validUntil, validAfter));
    }

    function _setSigner(address signer, bool allowed) private {
        if (signer == address(0)) revert InvalidSigner(signer);
        isSigner[signer] = allowed;
        emit SignerSet(signer, allowed);
    }
}
