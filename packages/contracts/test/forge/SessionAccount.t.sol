// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

import {Test} from "./utils/Test.sol";
import {IERC7579Account, Execution} from "../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {SessionLib} from "../../src/libraries/SessionLib.sol";
import {SessionKeyValidator} from "../../src/validators/SessionKeyValidator.sol";
import {ZkSsoAccount} from "../../src/account/ZkSsoAccount.sol";
import {ZkSsoAccountProxy} from "../../src/account/ZkSsoAccountProxy.sol";

/// @notice The session validator through the real zkSSO account (ERC-1967 proxy) and the real EntryPoint v0.8:
///         the account strips the 20-byte validator prefix, the EntryPoint enforces the returned time range.
contract SessionAccountTest is Test {
    event log_named_uint(string key, uint256 val);

    EntryPoint internal entryPoint;
    SessionKeyValidator internal validator;
    ZkSsoAccount internal account;
    SessionLib.SessionSpec internal specStored;
    bytes internal specEncoded;

    uint256 internal constant SESSION_PK = 0x5E55;
    address internal constant RECIPIENT = address(0xBEEF);
    address payable internal constant BUNDLER = payable(address(0xB0B));

    function setUp() public {
        vm.warp(1_700_000_000);
        entryPoint = new EntryPoint();
        validator = new SessionKeyValidator();
        ZkSsoAccount implementation = new ZkSsoAccount(IEntryPoint(address(entryPoint)));
        account = ZkSsoAccount(payable(address(new ZkSsoAccountProxy(address(implementation)))));

        SessionLib.SessionSpec memory spec;
        spec.signer = vm.addr(SESSION_PK);
        spec.expiresAt = uint48(block.timestamp + 7 days);
        spec.feeLimit = SessionLib.UsageLimit(SessionLib.LimitType.Lifetime, 1 ether, 0);
        spec.callPolicies = new SessionLib.CallSpec[](0);
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(
            RECIPIENT, 1 ether, SessionLib.UsageLimit(SessionLib.LimitType.Allowance, 1 ether, 1 days)
        );
        specEncoded = abi.encode(spec);
        // The session validator is installed at initialisation with a first session (onInstall data).
        account.initialize(address(validator), specEncoded);
        vm.deal(address(account), 10 ether);
    }

    function _spec() internal view returns (SessionLib.SessionSpec memory) {
        return abi.decode(specEncoded, (SessionLib.SessionSpec));
    }

    function _op(uint256 value, uint48 validAt) internal view returns (PackedUserOperation memory op) {
        op.sender = address(account);
        op.nonce = entryPoint.getNonce(address(account), 0);
        op.callData = abi.encodeCall(
            IERC7579Account.execute,
            (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00), abi.encodePacked(RECIPIENT, value, ""))
        );
        op.accountGasLimits = bytes32((uint256(400_000) << 128) | 100_000);
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(1 gwei) << 128) | 1 gwei);
        op.signature = abi.encodePacked(address(validator), abi.encode(hex"", _spec(), validAt));
        bytes32 h = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        op.signature = abi.encodePacked(address(validator), abi.encode(abi.encodePacked(r, s, v), _spec(), validAt));
    }

    function _handle(PackedUserOperation memory op) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(BUNDLER, BUNDLER);
        entryPoint.handleOps(ops, BUNDLER);
    }

    function test_throughAccountAndEntryPoint_periodsEnforced() public {
        bytes32 h = keccak256(specEncoded);
        assertTrue(validator.isInitialized(address(account)));
        assertEq(uint256(validator.sessionStatus(address(account), h)), uint256(SessionLib.Status.Active));

        uint256 g = gasleft();
        _handle(_op(0.6 ether, uint48(block.timestamp)));
        emit log_named_uint("handleOps gas, session single transfer (incl. test overhead)", g - gasleft());
        assertEq(RECIPIENT.balance, 0.6 ether);

        // over today's allowance: the validator's typed error comes back inside AA23
        uint256 nextDay = (block.timestamp / 1 days + 1) * 1 days;
        PackedUserOperation memory over = _op(0.6 ether, uint48(block.timestamp));
        bytes memory inner = abi.encodeWithSelector(
            SessionLib.SessionLimitExceeded.selector,
            h,
            SessionLib.KIND_TRANSFER_VALUE,
            0,
            0,
            0,
            0.6 ether,
            0.4 ether,
            nextDay
        );
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOpWithRevert.selector, 0, "AA23 reverted", inner));
        _handle(over);

        // claiming tomorrow's allowance today: the EntryPoint refuses the time range
        PackedUserOperation memory early = _op(0.6 ether, uint48(nextDay));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA22 expired or not due"));
        _handle(early);

        // tomorrow it goes through
        vm.warp(nextDay);
        _handle(_op(0.6 ether, uint48(block.timestamp)));
        assertEq(RECIPIENT.balance, 1.2 ether);
    }

    function test_throughAccount_wrongKeyIsSignatureError() public {
        PackedUserOperation memory op = _op(0.1 ether, uint48(block.timestamp));
        bytes32 h = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0xBAD, h);
        op.signature =
            abi.encodePacked(address(validator), abi.encode(abi.encodePacked(r, s, v), _spec(), uint48(block.timestamp)));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        _handle(op);
    }

    function test_throughAccount_sessionCannotCallTheAccount() public {
        // e.g. to install a module or revoke its own limits through the validator
        PackedUserOperation memory op = _op(0, uint48(block.timestamp));
        op.callData = abi.encodeCall(
            IERC7579Account.execute,
            (
                ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00),
                abi.encodePacked(address(account), uint256(0), "")
            )
        );
        bytes32 h = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        op.signature =
            abi.encodePacked(address(validator), abi.encode(abi.encodePacked(r, s, v), _spec(), uint48(block.timestamp)));
        bytes memory inner = abi.encodeWithSelector(SessionLib.CallTargetBanned.selector, 0, address(account));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOpWithRevert.selector, 0, "AA23 reverted", inner));
        _handle(op);
    }
}
