// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {
    IModule,
    IValidator,
    Execution,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR,
    MODULE_TYPE_FALLBACK,
    MODULE_TYPE_HOOK
} from "../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {SessionLib} from "../../src/libraries/SessionLib.sol";
import {SessionKeyValidator} from "../../src/validators/SessionKeyValidator.sol";
import {MockSessionTarget} from "./session/SessionMocks.sol";
import {SessionBase} from "./session/SessionBase.sol";

contract SessionKeyValidatorTest is SessionBase {
    // =========================================================================================================
    // Module lifecycle
    // =========================================================================================================

    function test_onInstall_marksInitialized_andRefusesSecondInstall() public {
        assertTrue(validator.isInitialized(address(account)));
        assertFalse(validator.isInitialized(address(this)));
        vm.expectRevert(abi.encodeWithSelector(IModule.AlreadyInitialized.selector, address(account)));
        account.exec(address(validator), abi.encodeCall(validator.onInstall, ("")));
    }

    function test_onInstall_withSpec_createsSession() public {
        account.exec(address(validator), abi.encodeCall(validator.onUninstall, ("")));
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        account.exec(address(validator), abi.encodeCall(validator.onInstall, (abi.encode(spec))));
        assertEq(uint256(validator.sessionStatus(address(account), _hash(spec))), uint256(SessionLib.Status.Active));
        assertEq(_sigFailed(_validate(_single(RECIPIENT, 1, ""), spec)), false);
    }

    function test_onUninstall_closesAllSessions_andReinstallDoesNotRevive() public {
        SessionLib.SessionSpec memory a = _transferSpec(1 ether, _lifetime(1 ether));
        SessionLib.SessionSpec memory b = _transferSpec(2 ether, _lifetime(2 ether));
        b.signer = vm.addr(0xB);
        bytes32 ha = _create(a);
        bytes32 hb = _create(b);
        account.exec(address(validator), abi.encodeCall(validator.onUninstall, ("")));
        assertFalse(validator.isInitialized(address(account)));
        assertEq(uint256(validator.sessionStatus(address(account), ha)), uint256(SessionLib.Status.Closed));
        assertEq(uint256(validator.sessionStatus(address(account), hb)), uint256(SessionLib.Status.Closed));

        account.exec(address(validator), abi.encodeCall(validator.onInstall, ("")));
        assertEq(uint256(validator.sessionStatus(address(account), ha)), uint256(SessionLib.Status.Closed));
        (PackedUserOperation memory op, bytes32 h) =
            _op(_single(RECIPIENT, 1, ""), a, uint48(block.timestamp), SESSION_PK);
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.SessionNotActive.selector, ha, SessionLib.Status.Closed)
        );
        account.validate(IValidator(address(validator)), op, h);
        // the same spec cannot be created again either
        vm.expectRevert(abi.encodeWithSelector(SessionLib.SessionAlreadyExists.selector, ha));
        account.exec(address(validator), abi.encodeCall(validator.createSession, (a)));
    }

    function test_onInstall_withInvalidSpec_revertsAndStaysUninstalled() public {
        account.exec(address(validator), abi.encodeCall(validator.onUninstall, ("")));
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        spec.feeLimit = _unlimited();
        vm.expectRevert(SessionLib.UnlimitedFees.selector);
        account.exec(address(validator), abi.encodeCall(validator.onInstall, (abi.encode(spec))));
        assertFalse(validator.isInitialized(address(account)));
    }

    function test_onUninstall_refusedWhenNotInstalled() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(this)));
        validator.onUninstall("");
    }

    function test_moduleType_and_erc1271() public view {
        assertTrue(validator.isModuleType(MODULE_TYPE_VALIDATOR));
        assertFalse(validator.isModuleType(MODULE_TYPE_EXECUTOR));
        assertEq(bytes32(validator.isValidSignatureWithSender(address(1), bytes32(0), "")), bytes32(bytes4(0xffffffff)));
    }

    // =========================================================================================================
    // createSession refusals
    // =========================================================================================================

    function test_createSession_refusedWhenNotInstalled() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(this)));
        validator.createSession(spec);
    }

    function test_createSession_zeroSigner() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        spec.signer = address(0);
        vm.expectRevert(SessionLib.ZeroSigner.selector);
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
    }

    function test_createSession_unlimitedFees() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        spec.feeLimit = _unlimited();
        vm.expectRevert(SessionLib.UnlimitedFees.selector);
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
    }

    function test_createSession_expiresTooSoon() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        spec.expiresAt = uint48(block.timestamp + 59);
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.SessionExpiresTooSoon.selector, spec.expiresAt, block.timestamp + 60)
        );
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
        spec.expiresAt = uint48(block.timestamp + 60);
        _create(spec);
    }

    function test_createSession_allowanceWithZeroPeriod() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _allowance(1, 0));
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.InvalidLimitPeriod.selector, SessionLib.KIND_TRANSFER_VALUE, 0, 0)
        );
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));

        spec = _transferSpec(1, _lifetime(1));
        spec.feeLimit = _allowance(1, 0);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.InvalidLimitPeriod.selector, SessionLib.KIND_FEE, 0, 0));
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));

        spec = _callSpec(0, _allowance(1, 0), _noConstraints());
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.InvalidLimitPeriod.selector, SessionLib.KIND_CALL_VALUE, 0, 0)
        );
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));

        spec = _callSpec(0, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _allowance(5, 0)));
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.InvalidLimitPeriod.selector, SessionLib.KIND_CONSTRAINT, 0, 0)
        );
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
    }

    function test_createSession_bannedPolicyTargets() public {
        address module = address(0x7777);
        account.setInstalled(MODULE_TYPE_EXECUTOR, module, true);
        address[4] memory banned = [address(account), address(validator), validator.ENTRY_POINT(), module];
        for (uint256 i = 0; i < banned.length; i++) {
            SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), _noConstraints());
            spec.callPolicies[0].target = banned[i];
            vm.expectRevert(
                abi.encodeWithSelector(
                    SessionLib.PolicyTargetBanned.selector, banned[i], MockSessionTarget.transfer.selector
                )
            );
            account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));

            spec = _transferSpec(1, _lifetime(1));
            spec.transferPolicies[0].target = banned[i];
            vm.expectRevert(abi.encodeWithSelector(SessionLib.PolicyTargetBanned.selector, banned[i], bytes4(0)));
            account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
        }
    }

    function test_createSession_duplicateRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        bytes32 h = _create(spec);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.SessionAlreadyExists.selector, h));
        account.exec(address(validator), abi.encodeCall(validator.createSession, (spec)));
    }

    function test_createSession_signerUsedOncePerAccount() public {
        SessionLib.SessionSpec memory a = _transferSpec(1 ether, _lifetime(1 ether));
        bytes32 ha = _create(a);
        account.exec(address(validator), abi.encodeCall(validator.revokeKey, (ha)));
        SessionLib.SessionSpec memory b = _transferSpec(2 ether, _lifetime(1 ether)); // same signer, other spec
        vm.expectRevert(abi.encodeWithSelector(SessionLib.SignerAlreadyUsed.selector, sessionSigner));
        account.exec(address(validator), abi.encodeCall(validator.createSession, (b)));
    }

    function test_createSession_emitsEvent_andSeveralSessionsCoexist() public {
        SessionLib.SessionSpec memory a = _transferSpec(1 ether, _lifetime(1 ether));
        SessionLib.SessionSpec memory b = _callSpec(0, _unlimited(), _noConstraints());
        b.signer = vm.addr(0xB);
        vm.expectEmit(address(validator));
        emit SessionKeyValidator.SessionCreated(address(account), _hash(a), a);
        _create(a);
        _create(b);
        assertFalse(_sigFailed(_validate(_single(RECIPIENT, 1, ""), a)));
        assertFalse(_sigFailed(_validateWith(_single(address(target), 0, _transferCall(RECIPIENT, 5)), b, 0xB)));
        // each key signs only for its own session
        assertTrue(_sigFailed(_validate(_single(address(target), 0, _transferCall(RECIPIENT, 5)), b)));
        assertEq(validator.signerSession(b.signer, address(account)), _hash(b));
        // the same spec is independent per account
        assertEq(uint256(validator.sessionStatus(address(this), _hash(a))), uint256(SessionLib.Status.NotInitialized));
    }

    // =========================================================================================================
    // Revocation
    // =========================================================================================================

    function test_revokeKey_closesSession() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        bytes32 h = _create(spec);
        vm.expectEmit(address(validator));
        emit SessionKeyValidator.SessionRevoked(address(account), h);
        account.exec(address(validator), abi.encodeCall(validator.revokeKey, (h)));
        assertEq(uint256(validator.sessionStatus(address(account), h)), uint256(SessionLib.Status.Closed));

        (PackedUserOperation memory op, bytes32 opHash) =
            _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), SESSION_PK);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.SessionNotActive.selector, h, SessionLib.Status.Closed));
        account.validate(IValidator(address(validator)), op, opHash);

        vm.expectRevert(abi.encodeWithSelector(SessionLib.SessionNotActive.selector, h, SessionLib.Status.Closed));
        account.exec(address(validator), abi.encodeCall(validator.revokeKey, (h)));
    }

    function test_revokeKeys_closesSeveral_andRefusesUnknown() public {
        bytes32[] memory hashes = new bytes32[](2);
        hashes[0] = _create(_transferSpec(1 ether, _lifetime(1 ether)));
        SessionLib.SessionSpec memory second = _transferSpec(2 ether, _lifetime(1 ether));
        second.signer = vm.addr(0xB);
        hashes[1] = _create(second);
        account.exec(address(validator), abi.encodeCall(validator.revokeKeys, (hashes)));
        assertEq(uint256(validator.sessionStatus(address(account), hashes[0])), uint256(SessionLib.Status.Closed));
        assertEq(uint256(validator.sessionStatus(address(account), hashes[1])), uint256(SessionLib.Status.Closed));

        bytes32 unknown = keccak256("unknown");
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.SessionNotActive.selector, unknown, SessionLib.Status.NotInitialized)
        );
        account.exec(address(validator), abi.encodeCall(validator.revokeKey, (unknown)));
    }

    function test_revokeKey_onlyAffectsCaller() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        bytes32 h = _create(spec);
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.SessionNotActive.selector, h, SessionLib.Status.NotInitialized)
        );
        validator.revokeKey(h); // msg.sender = this test, which has no such session
        assertEq(uint256(validator.sessionStatus(address(account), h)), uint256(SessionLib.Status.Active));
    }

    // =========================================================================================================
    // validateUserOp: session, signature, expiry
    // =========================================================================================================

    function test_validate_unknownSessionRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        (PackedUserOperation memory op, bytes32 h) =
            _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), SESSION_PK);
        vm.expectRevert(
            abi.encodeWithSelector(SessionLib.SessionNotActive.selector, _hash(spec), SessionLib.Status.NotInitialized)
        );
        account.validate(IValidator(address(validator)), op, h);
    }

    function test_validate_successReturnsExpiryAsValidUntil() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        uint256 data = _validate(_single(RECIPIENT, 1, ""), spec);
        assertFalse(_sigFailed(data));
        assertEq(_validUntil(data), spec.expiresAt);
        assertEq(_validAfter(data), 0);
    }

    function test_validate_wrongSignerFails_andRecordsNothing() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        (PackedUserOperation memory op, bytes32 h) =
            _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), 0xB0B);
        assertEq(account.validate(IValidator(address(validator)), op, h), 1);
        // fee not counted for a failed signature
        assertEq(validator.sessionState(address(account), spec).fee.used, 0);
        // garbage signature bytes
        op.signature = abi.encode(hex"1234", spec, uint48(block.timestamp));
        assertEq(account.validate(IValidator(address(validator)), op, h), 1);
    }

    function test_validate_highSRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        (PackedUserOperation memory op, bytes32 h) =
            _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), SESSION_PK);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        bytes32 highS = bytes32(n - uint256(s));
        op.signature = abi.encode(abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)), spec, uint48(block.timestamp));
        assertEq(account.validate(IValidator(address(validator)), op, h), 1);
    }

    function test_validate_claimedTimeAfterExpiryRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        bytes32 h = _create(spec);
        uint48 late = spec.expiresAt + 1;
        vm.expectRevert(abi.encodeWithSelector(SessionLib.SessionExpired.selector, h, spec.expiresAt, late));
        _validateAt(_single(RECIPIENT, 1, ""), spec, late);
    }

    function test_validate_afterExpiry_outsideWindow() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        uint256 data = _validate(_single(RECIPIENT, 1, ""), spec);
        assertTrue(_inWindow(data, spec.expiresAt));
        assertFalse(_inWindow(data, uint256(spec.expiresAt) + 1)); // the EntryPoint refuses it (AA22 expired)
    }

    // =========================================================================================================
    // Transfers
    // =========================================================================================================

    function test_transfer_policyNotFound() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.TransferPolicyNotFound.selector, 0, RECIPIENT2));
        _validate(_single(RECIPIENT2, 1, ""), spec);
        // call data of 1..3 bytes is still a transfer
        vm.expectRevert(abi.encodeWithSelector(SessionLib.TransferPolicyNotFound.selector, 0, RECIPIENT2));
        _validate(_single(RECIPIENT2, 1, hex"aabbcc"), spec);
    }

    function test_transfer_maxValuePerUse() public {
        SessionLib.SessionSpec memory spec = _transferSpec(100, _unlimited());
        _create(spec);
        assertFalse(_sigFailed(_validate(_single(RECIPIENT, 100, ""), spec)));
        vm.expectRevert(abi.encodeWithSelector(SessionLib.MaxValuePerUseExceeded.selector, 0, 101, 100));
        _validate(_single(RECIPIENT, 101, ""), spec);
    }

    function test_transfer_lifetimeLimit() public {
        SessionLib.SessionSpec memory spec = _transferSpec(100, _lifetime(250));
        bytes32 h = _create(spec);
        _validate(_single(RECIPIENT, 100, ""), spec);
        _validate(_single(RECIPIENT, 100, ""), spec);
        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 0, 0, 0, 100, 50, 0));
        _validate(_single(RECIPIENT, 100, ""), spec);
        _validate(_single(RECIPIENT, 50, ""), spec);
        vm.warp(block.timestamp + 1000 days - 1 days); // a lifetime limit never resets (session expiry aside)
        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 0, 0, 0, 1, 0, 0));
        _validateAt(_single(RECIPIENT, 1, ""), spec, uint48(T0));
    }

    // =========================================================================================================
    // Calls and constraints
    // =========================================================================================================

    function test_call_policyNotFound_wrongSelectorOrTarget() public {
        SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), _noConstraints());
        _create(spec);
        bytes memory other = abi.encodeCall(MockSessionTarget.three, (1, 2, 3));
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionLib.CallPolicyNotFound.selector, 0, address(target), MockSessionTarget.three.selector
            )
        );
        _validate(_single(address(target), 0, other), spec);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionLib.CallPolicyNotFound.selector, 0, RECIPIENT, MockSessionTarget.transfer.selector
            )
        );
        _validate(_single(RECIPIENT, 0, _transferCall(RECIPIENT, 1)), spec);
        // a transfer (no call data) to a call-policy target needs a transfer policy
        vm.expectRevert(abi.encodeWithSelector(SessionLib.TransferPolicyNotFound.selector, 0, address(target)));
        _validate(_single(address(target), 0, ""), spec);
    }

    function test_call_valueLimits() public {
        SessionLib.SessionSpec memory spec = _callSpec(10, _lifetime(15), _noConstraints());
        bytes32 h = _create(spec);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.MaxValuePerUseExceeded.selector, 0, 11, 10));
        _validate(_single(address(target), 11, _transferCall(RECIPIENT, 1)), spec);
        _validate(_single(address(target), 10, _transferCall(RECIPIENT, 1)), spec);
        vm.expectRevert(_limitError(h, SessionLib.KIND_CALL_VALUE, 0, 0, 0, 6, 5, 0));
        _validate(_single(address(target), 6, _transferCall(RECIPIENT, 1)), spec);
    }

    function test_constraint_violated() public {
        SessionLib.SessionSpec memory spec = _callSpec(
            0, _unlimited(), _constraint(SessionLib.Condition.Equal, 0, bytes32(uint256(uint160(RECIPIENT))), _unlimited())
        );
        _create(spec);
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 1)), spec);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionLib.ConstraintViolated.selector,
                0,
                0,
                0,
                bytes32(uint256(uint160(RECIPIENT2))),
                bytes32(uint256(uint160(RECIPIENT))),
                SessionLib.Condition.Equal
            )
        );
        _validate(_single(address(target), 0, _transferCall(RECIPIENT2, 1)), spec);
    }

    function test_constraint_callDataTooShort() public {
        SessionLib.SessionSpec memory spec =
            _callSpec(0, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 2, 0, _unlimited()));
        _create(spec);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.CallDataTooShort.selector, 0, 68, 100));
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 1)), spec);
    }

    function test_constraint_limitCountsArgumentValue() public {
        SessionLib.SessionSpec memory spec =
            _callSpec(0, _unlimited(), _constraint(SessionLib.Condition.LessOrEqual, 1, bytes32(uint256(60)), _lifetime(100)));
        bytes32 h = _create(spec);
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 60)), spec);
        vm.expectRevert(_limitError(h, SessionLib.KIND_CONSTRAINT, 0, 0, 0, 41, 40, 0));
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 41)), spec);
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 40)), spec);
        SessionLib.SessionState memory state = validator.sessionState(address(account), spec);
        assertEq(state.constraints.length, 1);
        assertEq(state.constraints[0].used, 100);
        assertEq(state.constraints[0].remaining, 0);
    }

    function test_constraint_severalOnOneCall_firstFailingReported() public {
        SessionLib.Constraint[] memory cs = new SessionLib.Constraint[](2);
        cs[0] = SessionLib.Constraint(SessionLib.Condition.NotEqual, 0, bytes32(0), _unlimited());
        cs[1] = SessionLib.Constraint(SessionLib.Condition.Greater, 1, bytes32(uint256(10)), _unlimited());
        SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), cs);
        _create(spec);
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 11)), spec);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionLib.ConstraintViolated.selector,
                0,
                0,
                1,
                bytes32(uint256(10)),
                bytes32(uint256(10)),
                SessionLib.Condition.Greater
            )
        );
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 10)), spec);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionLib.ConstraintViolated.selector, 0, 0, 0, bytes32(0), bytes32(0), SessionLib.Condition.NotEqual
            )
        );
        _validate(_single(address(target), 0, _transferCall(address(0), 11)), spec);
    }

    function test_call_firstMatchingPolicyIsUsed() public {
        SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), _noConstraints());
        SessionLib.CallSpec[] memory calls = new SessionLib.CallSpec[](2);
        calls[0] = SessionLib.CallSpec(
            address(target), MockSessionTarget.three.selector, 0, _unlimited(), _noConstraints()
        );
        calls[1] = spec.callPolicies[0];
        calls[1].maxValuePerUse = 7;
        spec.callPolicies = calls;
        _create(spec);
        vm.expectRevert(abi.encodeWithSelector(SessionLib.MaxValuePerUseExceeded.selector, 0, 8, 7));
        _validate(_single(address(target), 8, _transferCall(RECIPIENT, 1)), spec);
    }

    // =========================================================================================================
    // Banned targets, execution modes
    // =========================================================================================================

    function test_callsToAccountValidatorEntryPointOrModuleRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        address hook = address(0x4444);
        address fallbackHandler = address(0x3333);
        address otherValidator = address(0x1111);
        // installed after the session was created: still refused at validation
        account.setInstalled(MODULE_TYPE_HOOK, hook, true);
        account.setInstalled(MODULE_TYPE_FALLBACK, fallbackHandler, true);
        account.setInstalled(MODULE_TYPE_VALIDATOR, otherValidator, true);
        address[6] memory banned =
            [address(account), address(validator), validator.ENTRY_POINT(), hook, fallbackHandler, otherValidator];
        for (uint256 i = 0; i < banned.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(SessionLib.CallTargetBanned.selector, 0, banned[i]));
            _validate(_single(banned[i], 0, ""), spec);
            vm.expectRevert(abi.encodeWithSelector(SessionLib.CallTargetBanned.selector, 0, banned[i]));
            _validate(_single(banned[i], 0, abi.encodeCall(validator.revokeKey, (bytes32(0)))), spec);
        }
    }

    function test_delegatecallAndOtherModesRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        bytes memory exec = abi.encodePacked(RECIPIENT, uint256(1));
        bytes32[4] memory modes = [
            ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_DELEGATECALL, 0x00),
            ExecutionLib.encodeMode(0xfe, 0x00), // staticcall
            ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x02), // unknown exec type
            ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00) | bytes32(uint256(1)) // non-zero payload
        ];
        for (uint256 i = 0; i < modes.length; i++) {
            bytes memory callData = abi.encodeWithSelector(bytes4(keccak256("execute(bytes32,bytes)")), modes[i], exec);
            vm.expectRevert(abi.encodeWithSelector(SessionLib.UnsupportedExecutionMode.selector, modes[i]));
            _validate(callData, spec);
        }
        // try mode is accepted
        bytes memory tryCall = abi.encodeWithSelector(
            bytes4(keccak256("execute(bytes32,bytes)")),
            ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, ExecutionLib.EXECTYPE_TRY),
            exec
        );
        assertFalse(_sigFailed(_validate(tryCall, spec)));
    }

    function test_nonExecuteCallRefused() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        bytes memory install = abi.encodeWithSignature(
            "installModule(uint256,address,bytes)", uint256(1), address(0x1234), bytes("")
        );
        vm.expectRevert(abi.encodeWithSelector(ExecutionLib.NotAnExecuteCall.selector, bytes4(install)));
        _validate(install, spec);
    }

    // =========================================================================================================
    // Batches
    // =========================================================================================================

    function test_batch_checkedCallByCall() public {
        SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _lifetime(100)));
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(RECIPIENT, 10, _lifetime(40));
        bytes32 h = _create(spec);

        Execution[] memory ex = new Execution[](3);
        ex[0] = Execution(RECIPIENT, 10, "");
        ex[1] = Execution(address(target), 0, _transferCall(RECIPIENT, 70));
        ex[2] = Execution(RECIPIENT, 5, "");
        assertFalse(_sigFailed(_validate(_batch(ex), spec)));
        SessionLib.SessionState memory state = validator.sessionState(address(account), spec);
        assertEq(state.transferValue[0].used, 15);
        assertEq(state.constraints[0].used, 70);

        // second call not allowed at all
        ex[1] = Execution(RECIPIENT2, 0, "");
        vm.expectRevert(abi.encodeWithSelector(SessionLib.TransferPolicyNotFound.selector, 1, RECIPIENT2));
        _validate(_batch(ex), spec);

        // limits accumulate inside one batch: 20 + 20 fits the per-use bound but not the remaining 30
        Execution[] memory ex2 = new Execution[](2);
        ex2[0] = Execution(address(target), 0, _transferCall(RECIPIENT, 20));
        ex2[1] = Execution(address(target), 0, _transferCall(RECIPIENT, 20));
        vm.expectRevert(_limitError(h, SessionLib.KIND_CONSTRAINT, 1, 0, 0, 20, 10, 0));
        _validate(_batch(ex2), spec);

        // a banned call anywhere in the batch refuses the op
        ex2[0] = Execution(address(target), 0, _transferCall(RECIPIENT, 1));
        ex2[1] = Execution(address(account), 0, "");
        vm.expectRevert(abi.encodeWithSelector(SessionLib.CallTargetBanned.selector, 1, address(account)));
        _validate(_batch(ex2), spec);
    }

    function test_batch_tryModeCheckedAlike() public {
        SessionLib.SessionSpec memory spec = _transferSpec(10, _lifetime(15));
        bytes32 h = _create(spec);
        Execution[] memory ex = new Execution[](2);
        ex[0] = Execution(RECIPIENT, 10, "");
        ex[1] = Execution(RECIPIENT, 10, "");
        bytes memory callData = abi.encodeWithSelector(
            bytes4(keccak256("execute(bytes32,bytes)")),
            ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_BATCH, ExecutionLib.EXECTYPE_TRY),
            abi.encode(ex)
        );
        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 1, 0, 0, 10, 5, 0));
        _validate(callData, spec);
    }

    function test_batch_empty_onlyFeeCounted() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        _create(spec);
        assertFalse(_sigFailed(_validate(_batch(new Execution[](0)), spec)));
        assertEq(validator.sessionState(address(account), spec).fee.used, OP_COST);
    }

    // =========================================================================================================
    // Fees
    // =========================================================================================================

    function test_fee_countsMaxCost_andRefusesBeyondLimit() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        spec.feeLimit = _lifetime(OP_COST * 2 + OP_COST / 2);
        bytes32 h = _create(spec);
        _validate(_single(RECIPIENT, 1, ""), spec);
        _validate(_single(RECIPIENT, 1, ""), spec);
        assertEq(validator.sessionState(address(account), spec).fee.used, OP_COST * 2);
        vm.expectRevert(_limitError(h, SessionLib.KIND_FEE, 0, 0, 0, OP_COST, OP_COST / 2, 0));
        _validate(_single(RECIPIENT, 1, ""), spec);
    }

    function test_fee_notCountedWithPaymaster_butIncludesPaymasterGasOtherwiseNotApplicable() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        spec.feeLimit = _lifetime(1);
        _create(spec);
        (PackedUserOperation memory op, bytes32 h) =
            _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), SESSION_PK);
        op.paymasterAndData = abi.encodePacked(address(0x9999), uint128(50_000), uint128(50_000));
        assertFalse(_sigFailed(account.validate(IValidator(address(validator)), op, h)));
        assertEq(validator.sessionState(address(account), spec).fee.used, 0);
    }

    function test_fee_allowancePerPeriod() public {
        SessionLib.SessionSpec memory spec = _transferSpec(1 ether, _lifetime(1 ether));
        spec.feeLimit = _allowance(OP_COST, 1 hours);
        bytes32 h = _create(spec);
        _validate(_single(RECIPIENT, 1, ""), spec);
        uint256 next = (block.timestamp / 1 hours + 1) * 1 hours;
        vm.expectRevert(_limitError(h, SessionLib.KIND_FEE, 0, 0, 0, OP_COST, 0, next));
        _validate(_single(RECIPIENT, 1, ""), spec);
        vm.warp(next);
        assertFalse(_sigFailed(_validate(_single(RECIPIENT, 1, ""), spec)));
    }

    // =========================================================================================================
    // Periods
    // =========================================================================================================

    function test_periods_spendRefuseWarpSpendAgain() public {
        uint48 period = 1 days;
        SessionLib.SessionSpec memory spec = _transferSpec(100, _allowance(150, period));
        spec.expiresAt = uint48(block.timestamp + 10 days);
        bytes32 h = _create(spec);

        uint256 periodStart = (block.timestamp / period) * period;
        uint256 next = periodStart + period;
        uint256 data = _validate(_single(RECIPIENT, 100, ""), spec);
        assertEq(_validAfter(data), periodStart - 1);
        assertEq(_validUntil(data), next - 1);
        assertTrue(_inWindow(data, block.timestamp));
        assertTrue(_inWindow(data, periodStart));
        assertFalse(_inWindow(data, next));

        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 0, 0, 0, 100, 50, next));
        _validate(_single(RECIPIENT, 100, ""), spec);

        vm.warp(next - 1); // still the same period
        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 0, 0, 0, 100, 50, next));
        _validate(_single(RECIPIENT, 100, ""), spec);

        vm.warp(next); // new period: the allowance is back
        data = _validate(_single(RECIPIENT, 100, ""), spec);
        assertEq(_validAfter(data), next - 1);
        assertEq(_validUntil(data), next + period - 1);
        _validate(_single(RECIPIENT, 50, ""), spec);
        vm.expectRevert(_limitError(h, SessionLib.KIND_TRANSFER_VALUE, 0, 0, 0, 1, 0, next + period));
        _validate(_single(RECIPIENT, 1, ""), spec);

        SessionLib.SessionState memory state = validator.sessionState(address(account), spec);
        assertEq(state.transferValue[0].used, 150);
        assertEq(state.transferValue[0].periodStart, next);
        assertEq(state.transferValue[0].resetsAt, next + period);
        // the previous period's usage is still on record
        assertEq(validator.sessionStateAt(address(account), spec, uint48(periodStart)).transferValue[0].used, 100);
    }

    function test_periods_claimingAnotherPeriodIsBoundedToIt() public {
        uint48 period = 1 hours;
        SessionLib.SessionSpec memory spec = _transferSpec(100, _allowance(100, period));
        _create(spec);
        _validate(_single(RECIPIENT, 100, ""), spec);
        // Spend again by claiming next hour's period: accepted by the validator, but only valid within that hour,
        // so the EntryPoint refuses it now.
        uint48 nextHour = uint48((block.timestamp / period + 1) * period);
        uint256 data = _validateAt(_single(RECIPIENT, 100, ""), spec, nextHour);
        assertFalse(_inWindow(data, block.timestamp));
        assertTrue(_inWindow(data, nextHour));
        // Claiming a past period: the window lies in the past
        uint48 lastHour = uint48((block.timestamp / period - 1) * period);
        data = _validateAt(_single(RECIPIENT, 100, ""), spec, lastHour);
        assertFalse(_inWindow(data, block.timestamp));
    }

    function test_periods_windowIsIntersectionOfAllLimitsAndExpiry() public {
        SessionLib.SessionSpec memory spec = _callSpec(
            0, _allowance(100, 1 hours), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _allowance(1000, 1 days))
        );
        spec.feeLimit = _allowance(1 ether, 30 minutes);
        spec.expiresAt = uint48(((block.timestamp / 1 hours) * 1 hours) + 40 minutes + 1 hours);
        _create(spec);
        uint256 t = block.timestamp;
        uint256 data = _validate(_single(address(target), 0, _transferCall(RECIPIENT, 5)), spec);
        uint256 halfHourStart = (t / 30 minutes) * 30 minutes;
        uint256 expectedUntil = halfHourStart + 30 minutes - 1;
        if (spec.expiresAt < expectedUntil) expectedUntil = spec.expiresAt;
        assertEq(_validAfter(data), halfHourStart - 1);
        assertEq(_validUntil(data), expectedUntil);
    }

    function test_periods_eachLimitResetsOnItsOwnPeriod() public {
        vm.warp(10 days); // a day boundary, for readable arithmetic
        SessionLib.SessionSpec memory spec = _callSpec(
            0, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _allowance(100, 1 days))
        );
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(RECIPIENT, 10, _allowance(10, 1 hours));
        bytes32 h = _create(spec);
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 100)), spec);
        _validate(_single(RECIPIENT, 10, ""), spec);
        vm.warp(block.timestamp + 1 hours);
        _validate(_single(RECIPIENT, 10, ""), spec); // hourly allowance back
        vm.expectRevert(_limitError(h, SessionLib.KIND_CONSTRAINT, 0, 0, 0, 1, 0, 11 days));
        _validate(_single(address(target), 0, _transferCall(RECIPIENT, 1)), spec); // daily one not yet
    }

    // =========================================================================================================
    // sessionState
    // =========================================================================================================

    function test_sessionState_reportsEveryLimit() public {
        SessionLib.Constraint[] memory cs = new SessionLib.Constraint[](2);
        cs[0] = SessionLib.Constraint(SessionLib.Condition.Equal, 0, bytes32(uint256(uint160(RECIPIENT))), _unlimited());
        cs[1] = SessionLib.Constraint(SessionLib.Condition.Unconstrained, 1, 0, _allowance(500, 1 days));
        SessionLib.SessionSpec memory spec = _callSpec(3, _lifetime(9), cs);
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(RECIPIENT, 10, _lifetime(40));
        _create(spec);
        _validate(_single(address(target), 2, _transferCall(RECIPIENT, 123)), spec);
        _validate(_single(RECIPIENT, 7, ""), spec);

        SessionLib.SessionState memory s = validator.sessionState(address(account), spec);
        assertEq(uint256(s.status), uint256(SessionLib.Status.Active));
        assertEq(s.expiresAt, spec.expiresAt);
        assertEq(s.fee.used, 2 * OP_COST);
        assertEq(s.fee.remaining, 1 ether - 2 * OP_COST);
        assertEq(s.transferValue.length, 1);
        assertEq(s.transferValue[0].target, RECIPIENT);
        assertEq(s.transferValue[0].used, 7);
        assertEq(s.transferValue[0].remaining, 33);
        assertEq(s.callValue.length, 1);
        assertEq(s.callValue[0].target, address(target));
        assertEq(bytes32(s.callValue[0].selector), bytes32(MockSessionTarget.transfer.selector));
        assertEq(s.callValue[0].used, 2);
        assertEq(s.callValue[0].remaining, 7);
        assertEq(s.constraints.length, 2);
        assertEq(s.constraints[0].remaining, type(uint256).max); // unlimited
        assertEq(s.constraints[1].constraintIndex, 1);
        assertEq(s.constraints[1].used, 123);
        assertEq(s.constraints[1].remaining, 377);
        assertEq(s.constraints[1].periodStart, (block.timestamp / 1 days) * 1 days);
        assertEq(s.constraints[1].resetsAt, (block.timestamp / 1 days + 1) * 1 days);
        assertEq(uint256(s.constraints[1].kind), uint256(SessionLib.KIND_CONSTRAINT));
    }
}
