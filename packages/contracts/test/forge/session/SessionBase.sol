// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Test} from "../utils/Test.sol";
import {IERC7579Account, IValidator, Execution} from "../../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../../src/libraries/ExecutionLib.sol";
import {SessionLib} from "../../../src/libraries/SessionLib.sol";
import {SessionKeyValidator} from "../../../src/validators/SessionKeyValidator.sol";
import {MockSessionAccount, MockSessionTarget} from "./SessionMocks.sol";

/// @notice Shared fixture for SessionKeyValidator tests: a validator installed on a mock account, a target, a
///         session key, and builders for specs, execute() call data and signed user operations.
abstract contract SessionBase is Test {
    event log_named_uint(string key, uint256 val);

    SessionKeyValidator internal validator;
    MockSessionAccount internal account;
    MockSessionTarget internal target;

    uint256 internal constant SESSION_PK = 0xA11CE;
    address internal sessionSigner;
    address internal constant RECIPIENT = address(0xBEEF);
    address internal constant RECIPIENT2 = address(0xCAFE);
    uint256 internal constant T0 = 1_700_000_000;

    // gas fields of every op built here: maxCost = (100k + 200k + 300k) * 1 gwei = 6e14
    uint256 internal constant PVG = 100_000;
    uint256 internal constant VGL = 200_000;
    uint256 internal constant CGL = 300_000;
    uint256 internal constant MAX_FEE = 1 gwei;
    uint256 internal constant OP_COST = (PVG + VGL + CGL) * MAX_FEE;

    uint256 private _opCounter;

    function setUp() public virtual {
        vm.warp(T0);
        validator = new SessionKeyValidator();
        account = new MockSessionAccount();
        target = new MockSessionTarget();
        sessionSigner = vm.addr(SESSION_PK);
        account.exec(address(validator), abi.encodeCall(validator.onInstall, ("")));
    }

    // ---- limits and specs ----

    function _unlimited() internal pure returns (SessionLib.UsageLimit memory) {
        return SessionLib.UsageLimit(SessionLib.LimitType.Unlimited, 0, 0);
    }

    function _lifetime(uint256 limit) internal pure returns (SessionLib.UsageLimit memory) {
        return SessionLib.UsageLimit(SessionLib.LimitType.Lifetime, limit, 0);
    }

    function _allowance(uint256 limit, uint48 period) internal pure returns (SessionLib.UsageLimit memory) {
        return SessionLib.UsageLimit(SessionLib.LimitType.Allowance, limit, period);
    }

    /// @dev A spec with one transfer policy to RECIPIENT and no call policy; fee limit 1 ether lifetime.
    function _transferSpec(uint256 maxValuePerUse, SessionLib.UsageLimit memory valueLimit)
        internal
        view
        returns (SessionLib.SessionSpec memory spec)
    {
        spec.signer = sessionSigner;
        spec.expiresAt = uint48(block.timestamp + 1 days);
        spec.feeLimit = _lifetime(1 ether);
        spec.callPolicies = new SessionLib.CallSpec[](0);
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(RECIPIENT, maxValuePerUse, valueLimit);
    }

    /// @dev A spec with one call policy on target.transfer(address,uint256) with the given constraints.
    function _callSpec(
        uint256 maxValuePerUse,
        SessionLib.UsageLimit memory valueLimit,
        SessionLib.Constraint[] memory constraints
    ) internal view returns (SessionLib.SessionSpec memory spec) {
        spec.signer = sessionSigner;
        spec.expiresAt = uint48(block.timestamp + 1 days);
        spec.feeLimit = _lifetime(1 ether);
        spec.callPolicies = new SessionLib.CallSpec[](1);
        spec.callPolicies[0] = SessionLib.CallSpec(
            address(target), MockSessionTarget.transfer.selector, maxValuePerUse, valueLimit, constraints
        );
        spec.transferPolicies = new SessionLib.TransferSpec[](0);
    }

    function _constraint(SessionLib.Condition condition, uint64 index, bytes32 refValue, SessionLib.UsageLimit memory limit)
        internal
        pure
        returns (SessionLib.Constraint[] memory constraints)
    {
        constraints = new SessionLib.Constraint[](1);
        constraints[0] = SessionLib.Constraint(condition, index, refValue, limit);
    }

    function _noConstraints() internal pure returns (SessionLib.Constraint[] memory) {
        return new SessionLib.Constraint[](0);
    }

    function _hash(SessionLib.SessionSpec memory spec) internal pure returns (bytes32) {
        return keccak256(abi.encode(spec));
    }

    /// @dev Hash of the session `_create` made last (for the short `_limitErr`).
    bytes32 internal lastHash;

    function _create(SessionLib.SessionSpec memory spec) internal returns (bytes32) {
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
        lastHash = _hash(spec);
        return lastHash;
    }

    // ---- execute() call data ----

    function _single(address to, uint256 value, bytes memory data) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IERC7579Account.execute,
            (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00), abi.encodePacked(to, value, data))
        );
    }

    function _batch(Execution[] memory executions) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IERC7579Account.execute, (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_BATCH, 0x00), abi.encode(executions))
        );
    }

    function _transferCall(address to, uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeCall(MockSessionTarget.transfer, (to, amount));
    }

    // ---- user operations ----

    function _op(bytes memory callData, SessionLib.SessionSpec memory spec, uint48 validAt, uint256 pk)
        internal
        returns (PackedUserOperation memory op, bytes32 userOpHash)
    {
        op.sender = address(account);
        op.nonce = ++_opCounter;
        op.callData = callData;
        op.accountGasLimits = bytes32((VGL << 128) | CGL);
        op.preVerificationGas = PVG;
        op.gasFees = bytes32((uint256(1) << 128) | MAX_FEE);
        // Any digest serves: the validator treats userOpHash as opaque (the EntryPoint computes it).
        userOpHash = keccak256(abi.encode(op.sender, op.nonce, keccak256(callData)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, userOpHash);
        op.signature = abi.encode(abi.encodePacked(r, s, v), spec, validAt);
    }

    /// @dev Signs with the session key, claims the current time, validates through the account.
    function _validate(bytes memory callData, SessionLib.SessionSpec memory spec) internal returns (uint256) {
        (PackedUserOperation memory op, bytes32 h) = _op(callData, spec, uint48(block.timestamp), SESSION_PK);
        return account.validate(IValidator(address(validator)), op, h);
    }

    function _validateWith(bytes memory callData, SessionLib.SessionSpec memory spec, uint256 pk)
        internal
        returns (uint256)
    {
        (PackedUserOperation memory op, bytes32 h) = _op(callData, spec, uint48(block.timestamp), pk);
        return account.validate(IValidator(address(validator)), op, h);
    }

    function _validateAt(bytes memory callData, SessionLib.SessionSpec memory spec, uint48 validAt)
        internal
        returns (uint256)
    {
        (PackedUserOperation memory op, bytes32 h) = _op(callData, spec, validAt, SESSION_PK);
        return account.validate(IValidator(address(validator)), op, h);
    }

    // ---- validationData ----

    function _sigFailed(uint256 data) internal pure returns (bool) {
        return uint160(data) == 1;
    }

    function _validUntil(uint256 data) internal pure returns (uint48) {
        return uint48(data >> 160);
    }

    function _validAfter(uint256 data) internal pure returns (uint48) {
        return uint48(data >> 208);
    }

    /// @dev What the EntryPoint checks: validAfter < now <= validUntil (validUntil 0 = no bound).
    function _inWindow(uint256 data, uint256 time) internal pure returns (bool) {
        uint48 until = _validUntil(data);
        return time > _validAfter(data) && (until == 0 || time <= until);
    }

    function _limitError(
        bytes32 sessionHash,
        uint8 kind,
        uint256 callIndex,
        uint256 policyIndex,
        uint256 constraintIndex,
        uint256 requested,
        uint256 remaining,
        uint256 resetsAt
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            SessionLib.SessionLimitExceeded.selector,
            sessionHash,
            kind,
            callIndex,
            policyIndex,
            constraintIndex,
            requested,
            remaining,
            resetsAt
        );
    }

    /// @dev SessionLimitExceeded for the last created session, policy 0, constraint 0.
    function _limitErr(uint8 kind, uint256 callIndex, uint256 requested, uint256 remaining, uint256 resetsAt)
        internal
        view
        returns (bytes memory)
    {
        return _limitError(lastHash, kind, callIndex, 0, 0, requested, remaining, resetsAt);
    }
}
