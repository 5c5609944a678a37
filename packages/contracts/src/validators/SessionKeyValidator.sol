// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {_packValidationData, SIG_VALIDATION_FAILED} from "@account-abstraction/contracts/core/Helpers.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {
    IValidator,
    IERC7579Account,
    Execution,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR,
    MODULE_TYPE_FALLBACK,
    MODULE_TYPE_HOOK,
    ERC1271_INVALID
} from "../interfaces/IERC7579.sol";
import {ExecutionLib} from "../libraries/ExecutionLib.sol";
import {SessionLib} from "../libraries/SessionLib.sol";

/// @title SessionKeyValidator
/// @notice ERC-7579 validator for limited session keys (ZKsync SSO session semantics on ERC-4337 v0.8).
///         The account creates sessions (`createSession`, msg.sender = account); a session key then signs user
///         operations that call `execute(mode, executionCalldata)` with single or batch calls, each checked against
///         the session's transfer/call policies, constraints and usage limits.
/// @dev Validator signature (after the account strips the 20-byte validator prefix, protocol §10):
///        `abi.encode(bytes ecdsaSignature, SessionSpec spec, uint48 validAt)`
///      - ecdsaSignature: 65 bytes r ‖ s ‖ v by `spec.signer` over the raw userOpHash (no EIP-191 prefix), low-s.
///      - spec: the full session spec; `keccak256(abi.encode(spec))` must be Active for the account.
///      - validAt: the time (unix seconds) whose Allowance periods the op spends in. Every Allowance limit used
///        spends in period `validAt / period`, and the returned validationData bounds the op to the seconds
///        inside all those periods (and not after `spec.expiresAt`), so the EntryPoint refuses it at any other
///        time. This replaces reading block.timestamp, which ERC-7562 bans during validation.
///
///      Storage (ERC-7562 "associated storage"): every slot this contract reads or writes while validating is
///      `keccak256(account ‖ x)` — the account is always the innermost mapping key.
contract SessionKeyValidator is IValidator {
    using SessionLib for SessionLib.SessionSpec;

    /// @notice Canonical ERC-4337 v0.8 EntryPoint: a session may never call it (e.g. `withdrawTo` the deposit).
    address public constant ENTRY_POINT = 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108;
    /// @notice A session must last at least this long when created (as ZKsync SSO).
    uint256 public constant MIN_SESSION_DURATION = 60;

    /// @dev Per account: installed flag and the epoch that onUninstall bumps to close every session at once.
    struct AccountRecord {
        bool installed;
        uint64 epoch;
    }

    /// @dev Per (session, account): status and the account epoch it was created in (Active only in that epoch).
    struct SessionRecord {
        SessionLib.Status status;
        uint64 epoch;
    }

    /// @dev What the checks of one user operation share: the session, the claimed time, and the time window
    ///      [validAfter + 1, validUntil] the op is bounded to (EntryPoint semantics), narrowed as limits are spent.
    struct Context {
        bytes32 sessionHash;
        uint48 validAt;
        uint48 validAfter;
        uint48 validUntil;
    }

    mapping(address account => AccountRecord) internal _accounts;
    mapping(bytes32 sessionHash => mapping(address account => SessionRecord)) internal _sessions;
    /// @dev usageKey(sessionHash, kind, policyIndex, constraintIndex, periodId) => account => amount used.
    mapping(bytes32 usageKey => mapping(address account => uint256)) internal _usage;
    /// @dev signer => account => the one session that signer was ever given on that account (written only by
    ///      createSession). One session per signer means the (unsigned) spec in a signature cannot be swapped for
    ///      another session of the same key.
    mapping(address signer => mapping(address account => bytes32 sessionHash)) public signerSession;

    event SessionCreated(address indexed account, bytes32 indexed sessionHash, SessionLib.SessionSpec spec);
    event SessionRevoked(address indexed account, bytes32 indexed sessionHash);
    /// @notice onUninstall closed every session of `account` (those created in epochs before `newEpoch`).
    event AllSessionsClosed(address indexed account, uint64 newEpoch);

    // ---------------------------------------------------------------------------------------------------------
    // ERC-7579 module
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Marks the validator installed for the calling account.
    /// @param data empty, or `abi.encode(SessionSpec)` to create a first session.
    function onInstall(bytes calldata data) external {
        AccountRecord storage acc = _accounts[msg.sender];
        if (acc.installed) revert AlreadyInitialized(msg.sender);
        acc.installed = true;
        if (data.length != 0) _createSession(abi.decode(data, (SessionLib.SessionSpec)));
    }

    /// @notice Closes every session of the account (data ignored). Re-installing does not revive them.
    function onUninstall(bytes calldata) external {
        AccountRecord storage acc = _accounts[msg.sender];
        if (!acc.installed) revert NotInitialized(msg.sender);
        acc.installed = false;
        uint64 newEpoch = acc.epoch + 1;
        acc.epoch = newEpoch;
        emit AllSessionsClosed(msg.sender, newEpoch);
    }

    /// @notice A validator (ERC-7579 module type 1) only.
    function isModuleType(uint256 moduleTypeId) external pure returns (bool) {
        return moduleTypeId == MODULE_TYPE_VALIDATOR;
    }

    /// @notice Whether `smartAccount` has installed this validator (onInstall without a later onUninstall).
    function isInitialized(address smartAccount) external view returns (bool) {
        return _accounts[smartAccount].installed;
    }

    /// @notice Session keys do not sign messages: a signature alone does not say which limits it spends.
    function isValidSignatureWithSender(address, bytes32, bytes calldata) external pure returns (bytes4) {
        return ERC1271_INVALID;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Session management (msg.sender = account)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Creates a session for the calling account. Refused: validator not installed, zero signer,
    ///         Unlimited fee limit, expiry sooner than 60 s, Allowance with period 0, a policy targeting the account,
    ///         this validator, the EntryPoint or an installed module, a hash already used by this account, or a
    ///         signer already given a session on this account (use a fresh key per session).
    function createSession(SessionLib.SessionSpec calldata spec) external {
        if (!_accounts[msg.sender].installed) revert NotInitialized(msg.sender);
        _createSession(spec);
    }

    /// @notice Closes an Active session of the calling account.
    function revokeKey(bytes32 sessionHash) public {
        SessionLib.Status status = _status(msg.sender, sessionHash);
        if (status != SessionLib.Status.Active) revert SessionLib.SessionNotActive(sessionHash, status);
        _sessions[sessionHash][msg.sender].status = SessionLib.Status.Closed;
        emit SessionRevoked(msg.sender, sessionHash);
    }

    /// @notice Closes several Active sessions (reverts if any is not Active).
    function revokeKeys(bytes32[] calldata sessionHashes) external {
        for (uint256 i = 0; i < sessionHashes.length; i++) {
            revokeKey(sessionHashes[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice NotInitialized, Active or Closed (revoked, or closed by uninstalling the validator).
    function sessionStatus(address account, bytes32 sessionHash) external view returns (SessionLib.Status) {
        return _status(account, sessionHash);
    }

    /// @notice Used/remaining of every limit of `spec` for `account` now (block.timestamp).
    function sessionState(address account, SessionLib.SessionSpec calldata spec)
        external
        view
        returns (SessionLib.SessionState memory)
    {
        return _state(account, spec, block.timestamp);
    }

    /// @notice Used/remaining of every limit of `spec` for `account` at time `time` (e.g. the validAt an SDK is about
    ///         to sign with).
    function sessionStateAt(address account, SessionLib.SessionSpec calldata spec, uint48 time)
        external
        view
        returns (SessionLib.SessionState memory)
    {
        return _state(account, spec, time);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Validation
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Validates a session user operation for the calling account and records its usage.
    /// @dev Order (as ZKsync SSO): session and call checks (revert with a typed error), then the signature
    ///      (SIG_VALIDATION_FAILED if wrong, so gas estimation with a dummy signature gets through), then the fee
    ///      limit last (estimation uses generous gas limits that could exceed it).
    /// @return validationData `validUntil << 160 | validAfter << 208`, bounded by expiry and Allowance periods.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash) external returns (uint256) {
        (bytes memory signature, SessionLib.SessionSpec memory spec, uint48 validAt) =
            abi.decode(userOp.signature, (bytes, SessionLib.SessionSpec, uint48));
        Context memory ctx = Context(spec.hash(), validAt, 0, spec.expiresAt);
        SessionLib.Status status = _status(msg.sender, ctx.sessionHash);
        if (status != SessionLib.Status.Active) revert SessionLib.SessionNotActive(ctx.sessionHash, status);
        if (validAt > spec.expiresAt) revert SessionLib.SessionExpired(ctx.sessionHash, spec.expiresAt, validAt);

        _checkExecution(ctx, spec, userOp.callData);

        if (!_signedBy(spec.signer, userOpHash, signature)) return SIG_VALIDATION_FAILED;

        // The fee counts only when the account pays: with a paymaster, the paymaster pays (ZKsync SSO's rule).
        if (userOp.paymasterAndData.length == 0) {
            _spend(ctx, spec.feeLimit, SessionLib.KIND_FEE, 0, 0, 0, SessionLib.maxCost(userOp));
        }
        return _packValidationData(false, ctx.validUntil, ctx.validAfter);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Decodes `execute(mode, executionCalldata)` and checks each call (single or batch) in order.
    function _checkExecution(Context memory ctx, SessionLib.SessionSpec memory spec, bytes calldata opCallData)
        internal
    {
        (bytes32 mode, bytes calldata executionCalldata) = ExecutionLib.decodeExecuteCall(opCallData);
        (bytes1 callType, bytes1 execType) = ExecutionLib.decodeMode(mode);
        if (
            mode != ExecutionLib.encodeMode(callType, execType)
                || (execType != ExecutionLib.EXECTYPE_DEFAULT && execType != ExecutionLib.EXECTYPE_TRY)
        ) revert SessionLib.UnsupportedExecutionMode(mode);

        if (callType == ExecutionLib.CALLTYPE_SINGLE) {
            (address target, uint256 value, bytes calldata callData) = ExecutionLib.decodeSingle(executionCalldata);
            _checkCall(ctx, spec, 0, target, value, callData);
        } else if (callType == ExecutionLib.CALLTYPE_BATCH) {
            Execution[] calldata executions = ExecutionLib.decodeBatch(executionCalldata);
            for (uint256 i = 0; i < executions.length; i++) {
                _checkCall(ctx, spec, i, executions[i].target, executions[i].value, executions[i].callData);
            }
        } else {
            // delegatecall (0xff), staticcall (0xfe) and anything else
            revert SessionLib.UnsupportedExecutionMode(mode);
        }
    }

    /// @dev ECDSA over the raw digest (no EIP-191 prefix); OZ refuses high-s and malformed signatures.
    function _signedBy(address signer, bytes32 digest, bytes memory signature) internal pure returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }

    function _status(address account, bytes32 sessionHash) internal view returns (SessionLib.Status) {
        SessionRecord storage record = _sessions[sessionHash][account];
        if (record.status == SessionLib.Status.Active && record.epoch != _accounts[account].epoch) {
            return SessionLib.Status.Closed;
        }
        return record.status;
    }

    function _createSession(SessionLib.SessionSpec memory spec) internal {
        if (spec.signer == address(0)) revert SessionLib.ZeroSigner();
        if (spec.feeLimit.limitType == SessionLib.LimitType.Unlimited) revert SessionLib.UnlimitedFees();
        if (spec.expiresAt < block.timestamp + MIN_SESSION_DURATION) {
            revert SessionLib.SessionExpiresTooSoon(spec.expiresAt, block.timestamp + MIN_SESSION_DURATION);
        }
        _requirePeriod(spec.feeLimit, SessionLib.KIND_FEE, 0, 0);
        for (uint256 i = 0; i < spec.transferPolicies.length; i++) {
            SessionLib.TransferSpec memory policy = spec.transferPolicies[i];
            if (_isBanned(policy.target, bytes4(0))) revert SessionLib.PolicyTargetBanned(policy.target, bytes4(0));
            _requirePeriod(policy.valueLimit, SessionLib.KIND_TRANSFER_VALUE, i, 0);
        }
        for (uint256 i = 0; i < spec.callPolicies.length; i++) {
            SessionLib.CallSpec memory policy = spec.callPolicies[i];
            if (_isBanned(policy.target, policy.selector)) {
                revert SessionLib.PolicyTargetBanned(policy.target, policy.selector);
            }
            _requirePeriod(policy.valueLimit, SessionLib.KIND_CALL_VALUE, i, 0);
            for (uint256 j = 0; j < policy.constraints.length; j++) {
                _requirePeriod(policy.constraints[j].limit, SessionLib.KIND_CONSTRAINT, i, j);
            }
        }

        bytes32 sessionHash = spec.hash();
        SessionRecord storage record = _sessions[sessionHash][msg.sender];
        if (record.status != SessionLib.Status.NotInitialized) revert SessionLib.SessionAlreadyExists(sessionHash);
        if (signerSession[spec.signer][msg.sender] != bytes32(0)) revert SessionLib.SignerAlreadyUsed(spec.signer);
        signerSession[spec.signer][msg.sender] = sessionHash;
        record.status = SessionLib.Status.Active;
        record.epoch = _accounts[msg.sender].epoch;
        emit SessionCreated(msg.sender, sessionHash, spec);
    }

    function _requirePeriod(SessionLib.UsageLimit memory limit, uint8 kind, uint256 policyIndex, uint256 constraintIndex)
        internal
        pure
    {
        if (limit.limitType == SessionLib.LimitType.Allowance && limit.period == 0) {
            revert SessionLib.InvalidLimitPeriod(kind, policyIndex, constraintIndex);
        }
    }

    /// @dev The account itself, this validator, the EntryPoint, or any module installed on the account
    ///      (validator, executor, hook, or fallback handler for `selector`). Calls the account (msg.sender):
    ///      a view on the sender, allowed during validation (ERC-7562).
    function _isBanned(address target, bytes4 selector) internal view returns (bool) {
        if (target == msg.sender || target == address(this) || target == ENTRY_POINT) return true;
        IERC7579Account account = IERC7579Account(msg.sender);
        return account.isModuleInstalled(MODULE_TYPE_VALIDATOR, target, "")
            || account.isModuleInstalled(MODULE_TYPE_EXECUTOR, target, "")
            || account.isModuleInstalled(MODULE_TYPE_FALLBACK, target, abi.encode(selector))
            || account.isModuleInstalled(MODULE_TYPE_HOOK, target, "");
    }

    function _checkCall(
        Context memory ctx,
        SessionLib.SessionSpec memory spec,
        uint256 callIndex,
        address target,
        uint256 value,
        bytes calldata callData
    ) internal {
        bytes4 selector = callData.length >= 4 ? bytes4(callData[0:4]) : bytes4(0);
        if (_isBanned(target, selector)) revert SessionLib.CallTargetBanned(callIndex, target);

        if (callData.length < 4) {
            uint256 n = spec.transferPolicies.length;
            uint256 p = 0;
            while (p < n && spec.transferPolicies[p].target != target) p++;
            if (p == n) revert SessionLib.TransferPolicyNotFound(callIndex, target);
            SessionLib.TransferSpec memory policy = spec.transferPolicies[p];
            if (value > policy.maxValuePerUse) {
                revert SessionLib.MaxValuePerUseExceeded(callIndex, value, policy.maxValuePerUse);
            }
            _spend(ctx, policy.valueLimit, SessionLib.KIND_TRANSFER_VALUE, callIndex, p, 0, value);
            return;
        }

        uint256 count = spec.callPolicies.length;
        uint256 i = 0;
        while (i < count && (spec.callPolicies[i].target != target || spec.callPolicies[i].selector != selector)) i++;
        if (i == count) revert SessionLib.CallPolicyNotFound(callIndex, target, selector);
        SessionLib.CallSpec memory call = spec.callPolicies[i];
        if (value > call.maxValuePerUse) revert SessionLib.MaxValuePerUseExceeded(callIndex, value, call.maxValuePerUse);
        _spend(ctx, call.valueLimit, SessionLib.KIND_CALL_VALUE, callIndex, i, 0, value);

        _checkConstraints(ctx, call.constraints, callIndex, i, callData);
    }

    /// @dev Each constraint of call policy `policyIndex`: the argument word exists, meets the condition, and its
    ///      value fits the constraint's usage limit.
    function _checkConstraints(
        Context memory ctx,
        SessionLib.Constraint[] memory constraints,
        uint256 callIndex,
        uint256 policyIndex,
        bytes calldata callData
    ) internal {
        for (uint256 j = 0; j < constraints.length; j++) {
            SessionLib.Constraint memory constraint = constraints[j];
            uint256 start = 4 + uint256(constraint.index) * 32;
            if (callData.length < start + 32) revert SessionLib.CallDataTooShort(callIndex, callData.length, start + 32);
            bytes32 param = bytes32(callData[start:start + 32]);
            if (!SessionLib.conditionHolds(constraint.condition, param, constraint.refValue)) {
                revert SessionLib.ConstraintViolated(
                    callIndex, policyIndex, j, param, constraint.refValue, constraint.condition
                );
            }
            _spend(ctx, constraint.limit, SessionLib.KIND_CONSTRAINT, callIndex, policyIndex, j, uint256(param));
        }
    }

    /// @dev Checks `amount` against `limit` in the period of `validAt`, records it, and narrows `window` to that
    ///      period (Allowance only). Reverts SessionLimitExceeded with what is left and when it resets.
    function _spend(
        Context memory ctx,
        SessionLib.UsageLimit memory limit,
        uint8 kind,
        uint256 callIndex,
        uint256 policyIndex,
        uint256 constraintIndex,
        uint256 amount
    ) internal {
        if (limit.limitType == SessionLib.LimitType.Unlimited) return;
        uint256 periodId = 0;
        uint256 resetsAt = 0;
        if (limit.limitType == SessionLib.LimitType.Allowance) {
            if (limit.period == 0) revert SessionLib.InvalidLimitPeriod(kind, policyIndex, constraintIndex);
            uint256 start;
            (periodId, start, resetsAt) = SessionLib.periodOf(limit.period, ctx.validAt);
            // EntryPoint accepts validAfter < block.timestamp <= validUntil.
            if (start > 0 && start - 1 > ctx.validAfter) ctx.validAfter = uint48(start - 1);
            if (resetsAt - 1 < ctx.validUntil) ctx.validUntil = uint48(resetsAt - 1);
        }
        mapping(address => uint256) storage usage =
            _usage[SessionLib.usageKey(ctx.sessionHash, kind, policyIndex, constraintIndex, periodId)];
        uint256 used = usage[msg.sender];
        uint256 remaining = limit.limit > used ? limit.limit - used : 0;
        if (amount > remaining) {
            revert SessionLib.SessionLimitExceeded(
                ctx.sessionHash, kind, callIndex, policyIndex, constraintIndex, amount, remaining, resetsAt
            );
        }
        if (amount != 0) usage[msg.sender] = used + amount;
    }

    /// @dev A LimitState located at (kind, policyIndex, constraintIndex) on (target, selector); usage not filled.
    function _locate(uint8 kind, uint256 policyIndex, uint256 constraintIndex, address target, bytes4 selector)
        internal
        pure
        returns (SessionLib.LimitState memory state)
    {
        state.kind = kind;
        state.policyIndex = policyIndex;
        state.constraintIndex = constraintIndex;
        state.target = target;
        state.selector = selector;
    }

    /// @dev Fills `state` with `limit`'s used/remaining for `account` in the period containing `time`.
    function _fill(
        SessionLib.LimitState memory state,
        address account,
        bytes32 sessionHash,
        SessionLib.UsageLimit calldata limit,
        uint256 time
    ) internal view returns (SessionLib.LimitState memory) {
        state.limitType = limit.limitType;
        state.limit = limit.limit;
        if (limit.limitType == SessionLib.LimitType.Unlimited) {
            state.remaining = type(uint256).max;
            return state;
        }
        uint256 periodId = 0;
        if (limit.limitType == SessionLib.LimitType.Allowance && limit.period != 0) {
            uint256 start;
            uint256 next;
            (periodId, start, next) = SessionLib.periodOf(limit.period, time);
            state.periodStart = uint48(start);
            state.resetsAt = next > type(uint48).max ? type(uint48).max : uint48(next);
        }
        bytes32 key = SessionLib.usageKey(sessionHash, state.kind, state.policyIndex, state.constraintIndex, periodId);
        state.used = _usage[key][account];
        state.remaining = limit.limit > state.used ? limit.limit - state.used : 0;
        return state;
    }

    function _state(address account, SessionLib.SessionSpec calldata spec, uint256 time)
        internal
        view
        returns (SessionLib.SessionState memory state)
    {
        bytes32 sessionHash = keccak256(abi.encode(spec));
        state.status = _status(account, sessionHash);
        state.expiresAt = spec.expiresAt;
        state.fee = _fill(_locate(SessionLib.KIND_FEE, 0, 0, address(0), 0), account, sessionHash, spec.feeLimit, time);

        state.transferValue = new SessionLib.LimitState[](spec.transferPolicies.length);
        for (uint256 i = 0; i < spec.transferPolicies.length; i++) {
            SessionLib.TransferSpec calldata policy = spec.transferPolicies[i];
            state.transferValue[i] = _fill(
                _locate(SessionLib.KIND_TRANSFER_VALUE, i, 0, policy.target, 0),
                account,
                sessionHash,
                policy.valueLimit,
                time
            );
        }
        (state.callValue, state.constraints) = _callStates(account, sessionHash, spec.callPolicies, time);
    }

    function _callStates(address account, bytes32 sessionHash, SessionLib.CallSpec[] calldata calls, uint256 time)
        internal
        view
        returns (SessionLib.LimitState[] memory values, SessionLib.LimitState[] memory constraints)
    {
        uint256 total = 0;
        for (uint256 i = 0; i < calls.length; i++) {
            total += calls[i].constraints.length;
        }
        values = new SessionLib.LimitState[](calls.length);
        constraints = new SessionLib.LimitState[](total);
        uint256 k = 0;
        for (uint256 i = 0; i < calls.length; i++) {
            SessionLib.CallSpec calldata call = calls[i];
            values[i] = _fill(
                _locate(SessionLib.KIND_CALL_VALUE, i, 0, call.target, call.selector),
                account,
                sessionHash,
                call.valueLimit,
                time
            );
            for (uint256 j = 0; j < call.constraints.length; j++) {
                constraints[k++] = _fill(
                    _locate(SessionLib.KIND_CONSTRAINT, i, j, call.target, call.selector),
                    account,
                    sessionHash,
                    call.constraints[j].limit,
                    time
                );
            }
        }
    }
}
