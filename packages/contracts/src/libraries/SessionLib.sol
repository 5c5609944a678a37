// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

/// @title SessionLib
/// @notice Types (protocol §11, the fixed zksso/v1 SessionSpec ABI), errors and pure helpers of the
///         SessionKeyValidator. Semantics follow ZKsync SSO's SessionLib, adapted to ERC-4337 v0.8 / ERC-7579.
/// @dev The order and types of every struct field below are part of the protocol: `sessionHash =
///      keccak256(abi.encode(SessionSpec))` is computed the same way by the core package. Do not reorder.
library SessionLib {
    // ---------------------------------------------------------------------------------------------------------
    // Protocol §11 types
    // ---------------------------------------------------------------------------------------------------------

    /// @notice A session hash moves NotInitialized -> Active -> Closed, never back (a hash is usable once per
    ///         account: create a new spec, e.g. with a new signer or expiry, to start again).
    enum Status {
        NotInitialized,
        Active,
        Closed
    }

    enum LimitType {
        Unlimited,
        Lifetime,
        Allowance
    }

    /// @dev `limit` is ignored for Unlimited; `period` (seconds, > 0) is used only for Allowance.
    struct UsageLimit {
        LimitType limitType;
        uint256 limit;
        uint48 period;
    }

    /// @dev Comparisons are unsigned on the 32-byte word (bytes32 order), as in ZKsync SSO.
    enum Condition {
        Unconstrained,
        Equal,
        Greater,
        Less,
        GreaterOrEqual,
        LessOrEqual,
        NotEqual
    }

    /// @dev `index` = 32-byte word index of the argument after the selector: bytes [4 + 32·index, 4 + 32·index + 32).
    ///      `limit` counts the argument's value (as uint256) across uses, whatever the condition.
    struct Constraint {
        Condition condition;
        uint64 index;
        bytes32 refValue;
        UsageLimit limit;
    }

    struct CallSpec {
        address target;
        bytes4 selector;
        uint256 maxValuePerUse;
        UsageLimit valueLimit;
        Constraint[] constraints;
    }

    struct TransferSpec {
        address target;
        uint256 maxValuePerUse;
        UsageLimit valueLimit;
    }

    struct SessionSpec {
        address signer;
        uint48 expiresAt;
        UsageLimit feeLimit;
        CallSpec[] callPolicies;
        TransferSpec[] transferPolicies;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Limit kinds: the `kind` of SessionLimitExceeded and of a LimitState, and part of each usage key
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Fee limit of the session (max cost of the user operation, when no paymaster pays).
    uint8 internal constant KIND_FEE = 0;
    /// @dev `valueLimit` of a transfer policy (value sent with call data shorter than 4 bytes).
    uint8 internal constant KIND_TRANSFER_VALUE = 1;
    /// @dev `valueLimit` of a call policy (value sent with a call).
    uint8 internal constant KIND_CALL_VALUE = 2;
    /// @dev `limit` of a constraint (sum of the constrained argument's values).
    uint8 internal constant KIND_CONSTRAINT = 3;

    /// @notice Used/remaining of one limit at a given time, as `SessionKeyValidator.sessionState` reports it.
    /// @dev For an Allowance, `used`/`remaining` are those of the period containing the queried time,
    ///      `periodStart` is its first second and `resetsAt` the first second of the next one. For Lifetime
    ///      `periodStart = resetsAt = 0` (never resets). For Unlimited `remaining = type(uint256).max` (a call may
    ///      still be bounded by `maxValuePerUse` or a condition).
    struct LimitState {
        uint8 kind;
        uint256 policyIndex;
        uint256 constraintIndex;
        address target;
        bytes4 selector;
        LimitType limitType;
        uint256 limit;
        uint256 used;
        uint256 remaining;
        uint48 periodStart;
        uint48 resetsAt;
    }

    /// @notice Everything the SDK needs to show a session: status, expiry, and one LimitState per limit.
    /// @dev `transferValue[i]` is transfer policy i, `callValue[i]` call policy i, `constraints` every constraint
    ///      of every call policy in order (policy 0's constraints first), Unlimited ones included.
    struct SessionState {
        Status status;
        uint48 expiresAt;
        LimitState fee;
        LimitState[] transferValue;
        LimitState[] callValue;
        LimitState[] constraints;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------

    // createSession / onInstall
    error ZeroSigner();
    error UnlimitedFees();
    error SessionExpiresTooSoon(uint48 expiresAt, uint256 minimum);
    error SessionAlreadyExists(bytes32 sessionHash);
    /// @dev The signer already has (or had) a session on this account: one key, one session.
    error SignerAlreadyUsed(address signer);
    /// @dev An Allowance with period 0. `kind`/`policyIndex`/`constraintIndex` locate it as in SessionLimitExceeded.
    error InvalidLimitPeriod(uint8 kind, uint256 policyIndex, uint256 constraintIndex);
    /// @dev A policy targets the account, this validator, the EntryPoint or a module installed on the account.
    error PolicyTargetBanned(address target, bytes4 selector);

    // revokeKey(s)
    error SessionNotActive(bytes32 sessionHash, Status status);

    // validateUserOp: the op's shape
    /// @dev The mode is not single/batch call with exec type default/try and zero selector/payload.
    error UnsupportedExecutionMode(bytes32 mode);
    /// @dev The claimed time (signature field `validAt`) is after the session's expiry.
    error SessionExpired(bytes32 sessionHash, uint48 expiresAt, uint48 validAt);

    // validateUserOp: per call (callIndex = position in the batch, 0 for a single call)
    error CallTargetBanned(uint256 callIndex, address target);
    error TransferPolicyNotFound(uint256 callIndex, address target);
    error CallPolicyNotFound(uint256 callIndex, address target, bytes4 selector);
    error MaxValuePerUseExceeded(uint256 callIndex, uint256 value, uint256 maxValuePerUse);
    error CallDataTooShort(uint256 callIndex, uint256 length, uint256 needed);
    error ConstraintViolated(
        uint256 callIndex, uint256 policyIndex, uint256 constraintIndex, bytes32 param, bytes32 refValue, Condition condition
    );

    /// @notice A usage limit would be exceeded.
    /// @param sessionHash the session.
    /// @param kind KIND_FEE (0), KIND_TRANSFER_VALUE (1), KIND_CALL_VALUE (2) or KIND_CONSTRAINT (3).
    /// @param callIndex the call in the batch (0 for a single call or the fee).
    /// @param policyIndex index into `transferPolicies` or `callPolicies` (0 for the fee).
    /// @param constraintIndex index into the call policy's `constraints` (0 unless kind = KIND_CONSTRAINT).
    /// @param requested the amount this call (or the op's max cost, for the fee) needed.
    /// @param remaining what was left in the current period (or lifetime) before this amount.
    /// @param resetsAt first second of the next period (0: a lifetime limit, never resets).
    error SessionLimitExceeded(
        bytes32 sessionHash,
        uint8 kind,
        uint256 callIndex,
        uint256 policyIndex,
        uint256 constraintIndex,
        uint256 requested,
        uint256 remaining,
        uint256 resetsAt
    );

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /// @notice `keccak256(abi.encode(spec))` (protocol §11).
    function hash(SessionSpec memory spec) internal pure returns (bytes32) {
        return keccak256(abi.encode(spec));
    }

    /// @notice Storage key of one usage counter (the account address is the inner mapping key, see the validator).
    /// @dev periodId is 0 for Lifetime limits.
    function usageKey(bytes32 sessionHash, uint8 kind, uint256 policyIndex, uint256 constraintIndex, uint256 periodId)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(sessionHash, kind, policyIndex, constraintIndex, periodId));
    }

    /// @notice Whether `param` satisfies `condition` against `refValue` (unsigned word comparison).
    function conditionHolds(Condition condition, bytes32 param, bytes32 refValue) internal pure returns (bool) {
        if (condition == Condition.Unconstrained) return true;
        if (condition == Condition.Equal) return param == refValue;
        if (condition == Condition.Greater) return param > refValue;
        if (condition == Condition.Less) return param < refValue;
        if (condition == Condition.GreaterOrEqual) return param >= refValue;
        if (condition == Condition.LessOrEqual) return param <= refValue;
        return param != refValue; // NotEqual (an out-of-range enum cannot be decoded)
    }

    /// @notice The most the user operation can cost its sender: what the EntryPoint pre-charges,
    ///         `(preVerificationGas + verificationGasLimit + callGasLimit + paymaster gas limits) * maxFeePerGas`.
    /// @dev Uses maxFeePerGas, not the effective price: BASEFEE is banned during validation (ERC-7562 OP-011).
    ///      Saturates at type(uint256).max instead of overflowing.
    function maxCost(PackedUserOperation calldata userOp) internal pure returns (uint256) {
        if (userOp.preVerificationGas > type(uint128).max) return type(uint256).max;
        uint256 gas = userOp.preVerificationGas + (uint256(userOp.accountGasLimits) >> 128)
            + uint128(uint256(userOp.accountGasLimits));
        if (userOp.paymasterAndData.length >= 52) {
            gas += uint128(bytes16(userOp.paymasterAndData[20:36])) + uint128(bytes16(userOp.paymasterAndData[36:52]));
        }
        uint256 maxFeePerGas = uint128(uint256(userOp.gasFees));
        if (maxFeePerGas != 0 && gas > type(uint256).max / maxFeePerGas) return type(uint256).max;
        return gas * maxFeePerGas;
    }

    /// @notice The Allowance period containing `time`: its id, first second and the first second of the next.
    function periodOf(uint48 period, uint256 time) internal pure returns (uint256 id, uint256 start, uint256 next) {
        id = time / period;
        start = id * period;
        next = start + period;
    }
}
