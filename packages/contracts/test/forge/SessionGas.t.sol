// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Test} from "./utils/Test.sol";
import {IERC7579Account, Execution} from "../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {SessionLib} from "../../src/libraries/SessionLib.sol";
import {SessionKeyValidator} from "../../src/validators/SessionKeyValidator.sol";
import {MockSessionTarget} from "./session/SessionMocks.sol";

/// @notice Gas of SessionKeyValidator.validateUserOp (this contract plays the account, so nothing else is counted).
///         Storage and the validator's address are made cold before each measurement (as in a fresh transaction).
///         Run with -vv to see the figures.
contract SessionGasTest is Test {
    event log_named_uint(string key, uint256 val);

    SessionKeyValidator internal validator;
    MockSessionTarget internal target;
    uint256 internal constant SESSION_PK = 0x5E55;
    address internal constant RECIPIENT = address(0xBEEF);
    SessionLib.SessionSpec internal none; // placeholder to keep the storage layout simple
    bytes internal specEncoded;
    uint256 internal nonce;

    function isModuleInstalled(uint256, address, bytes calldata) external pure returns (bool) {
        return false;
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        validator = new SessionKeyValidator();
        target = new MockSessionTarget();
        // A typical dapp session: one transfer policy, one token call policy with one constrained argument.
        SessionLib.SessionSpec memory spec;
        spec.signer = vm.addr(SESSION_PK);
        spec.expiresAt = uint48(block.timestamp + 1 days);
        spec.feeLimit = SessionLib.UsageLimit(SessionLib.LimitType.Lifetime, 1 ether, 0);
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(
            RECIPIENT, 1 ether, SessionLib.UsageLimit(SessionLib.LimitType.Allowance, 10 ether, 1 days)
        );
        SessionLib.Constraint[] memory cs = new SessionLib.Constraint[](1);
        cs[0] = SessionLib.Constraint(
            SessionLib.Condition.LessOrEqual,
            1,
            bytes32(uint256(1000)),
            SessionLib.UsageLimit(SessionLib.LimitType.Allowance, 10_000, 1 days)
        );
        spec.callPolicies = new SessionLib.CallSpec[](1);
        spec.callPolicies[0] = SessionLib.CallSpec(
            address(target),
            MockSessionTarget.transfer.selector,
            0,
            SessionLib.UsageLimit(SessionLib.LimitType.Unlimited, 0, 0),
            cs
        );
        specEncoded = abi.encode(spec);
        validator.onInstall(specEncoded);
    }

    function _op(bytes memory callData) internal returns (PackedUserOperation memory op, bytes32 h) {
        op.sender = address(this);
        op.nonce = ++nonce;
        op.callData = callData;
        op.accountGasLimits = bytes32((uint256(200_000) << 128) | 300_000);
        op.preVerificationGas = 100_000;
        op.gasFees = bytes32((uint256(1) << 128) | 1 gwei);
        h = keccak256(abi.encode(nonce, callData));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        SessionLib.SessionSpec memory spec = abi.decode(specEncoded, (SessionLib.SessionSpec));
        op.signature = abi.encode(abi.encodePacked(r, s, v), spec, uint48(block.timestamp));
    }

    function _measure(bytes memory callData) internal returns (uint256 used) {
        (PackedUserOperation memory op, bytes32 h) = _op(callData);
        vm.cool(address(validator));
        uint256 g = gasleft();
        uint256 data = validator.validateUserOp(op, h);
        used = g - gasleft();
        assertEq(uint160(data), 0);
    }

    function _single() internal pure returns (bytes memory) {
        return abi.encodeCall(
            IERC7579Account.execute,
            (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00), abi.encodePacked(RECIPIENT, uint256(1), ""))
        );
    }

    function _batch3() internal view returns (bytes memory) {
        Execution[] memory ex = new Execution[](3);
        ex[0] = Execution(RECIPIENT, 1, "");
        ex[1] = Execution(address(target), 0, abi.encodeCall(MockSessionTarget.transfer, (RECIPIENT, 10)));
        ex[2] = Execution(RECIPIENT, 2, "");
        return abi.encodeCall(
            IERC7579Account.execute, (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_BATCH, 0x00), abi.encode(ex))
        );
    }

    function test_gas_singleTransfer() public {
        uint256 first = _measure(_single());
        uint256 again = _measure(_single());
        emit log_named_uint("validateUserOp gas, single transfer, first use (zero->nonzero counters)", first);
        emit log_named_uint("validateUserOp gas, single transfer, later use (cold slots)", again);
        assertGt(first, again);
    }

    function test_gas_batchOfThree() public {
        uint256 first = _measure(_batch3());
        uint256 again = _measure(_batch3());
        emit log_named_uint("validateUserOp gas, 3-call batch, first use (zero->nonzero counters)", first);
        emit log_named_uint("validateUserOp gas, 3-call batch, later use (cold slots)", again);
        assertGt(first, again);
    }
}
