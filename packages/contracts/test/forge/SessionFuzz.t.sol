// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {IValidator, Execution} from "../../src/interfaces/IERC7579.sol";
import {SessionLib} from "../../src/libraries/SessionLib.sol";
import {SessionBase} from "./session/SessionBase.sol";

/// @notice Fuzz tests of SessionKeyValidator against small reference models written independently here.
contract SessionFuzzTest is SessionBase {
    /// @dev Reference: the seven conditions as plain uint256 comparisons.
    function _reference(uint8 condition, uint256 word, uint256 ref) internal pure returns (bool) {
        if (condition == 0) return true;
        if (condition == 1) return word == ref;
        if (condition == 2) return word > ref;
        if (condition == 3) return word < ref;
        if (condition == 4) return word >= ref;
        if (condition == 5) return word <= ref;
        return word != ref;
    }

    /// @dev Every condition, random argument word and random refValue (biased towards equal and adjacent values,
    ///      where off-by-one mistakes live), checked through the whole validateUserOp path.
    function testFuzz_constraintCondition(uint8 conditionSeed, uint256 word, uint256 ref, uint8 bias) public {
        uint8 condition = conditionSeed % 7;
        if (bias % 4 == 1) word = ref;
        else if (bias % 4 == 2 && ref < type(uint256).max) word = ref + 1;
        else if (bias % 4 == 3 && ref > 0) word = ref - 1;

        SessionLib.SessionSpec memory spec = _callSpec(
            0, _unlimited(), _constraint(SessionLib.Condition(condition), 1, bytes32(ref), _unlimited())
        );
        _create(spec);
        bytes memory callData = _single(address(target), 0, _transferCall(RECIPIENT, word));
        if (_reference(condition, word, ref)) {
            assertFalse(_sigFailed(_validate(callData, spec)));
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    SessionLib.ConstraintViolated.selector,
                    0,
                    0,
                    0,
                    bytes32(word),
                    bytes32(ref),
                    SessionLib.Condition(condition)
                )
            );
            _validate(callData, spec);
        }
    }

    /// @dev A condition on the 3rd word of a three-argument call reads exactly bytes [68, 100).
    function testFuzz_constraintReadsTheRightWord(uint256 a, uint256 b, uint256 c) public {
        SessionLib.SessionSpec memory spec = _callSpec(0, _unlimited(), _noConstraints());
        spec.callPolicies[0].selector = target.three.selector;
        spec.callPolicies[0].constraints = _constraint(SessionLib.Condition.Equal, 2, bytes32(c), _unlimited());
        _create(spec);
        assertFalse(_sigFailed(_validate(_single(address(target), 0, abi.encodeCall(target.three, (a, b, c))), spec)));
        if (a != c) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    SessionLib.ConstraintViolated.selector, 0, 0, 0, bytes32(a), bytes32(c), SessionLib.Condition.Equal
                )
            );
            _validate(_single(address(target), 0, abi.encodeCall(target.three, (c, b, a))), spec);
        }
    }

    /// @dev Lifetime limit on a constraint: a random sequence of amounts is accepted exactly while the running
    ///      total stays within the limit; a refusal reports what is left.
    function testFuzz_lifetimeConstraintLimit(uint256 limit, uint256[6] memory amounts) public {
        limit = bound(limit, 0, 1e30);
        SessionLib.SessionSpec memory spec =
            _callSpec(0, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _lifetime(limit)));
        _create(spec);
        uint256 used = 0;
        for (uint256 i = 0; i < amounts.length; i++) {
            uint256 amount = bound(amounts[i], 0, limit + limit / 2 + 1);
            bytes memory callData = _single(address(target), 0, _transferCall(RECIPIENT, amount));
            if (used + amount <= limit) {
                _validate(callData, spec);
                used += amount;
            } else {
                vm.expectRevert(_limitErr(SessionLib.KIND_CONSTRAINT, 0, amount, limit - used, 0));
                _validate(callData, spec);
            }
        }
        assertEq(validator.sessionState(address(account), spec).constraints[0].used, used);
    }

    /// @dev A batch of transfers is checked call by call: refused at the first call that breaks maxValuePerUse or
    ///      the running lifetime total, accepted (recording the sum) otherwise.
    function testFuzz_batchTransfers(uint256 limit, uint256 maxPerUse, uint256[5] memory values, uint8 count) public {
        limit = bound(limit, 0, 1000);
        maxPerUse = bound(maxPerUse, 0, 400);
        uint256 n = bound(count, 1, 5);
        SessionLib.SessionSpec memory spec = _transferSpec(maxPerUse, _lifetime(limit));
        _create(spec);
        Execution[] memory ex = new Execution[](n);
        uint256 sum = 0;
        bytes memory expected;
        for (uint256 i = 0; i < n; i++) {
            uint256 v = bound(values[i], 0, 500);
            ex[i] = Execution(RECIPIENT, v, "");
            if (expected.length != 0) continue;
            if (v > maxPerUse) {
                expected = abi.encodeWithSelector(SessionLib.MaxValuePerUseExceeded.selector, i, v, maxPerUse);
            } else if (sum + v > limit) {
                expected = _limitErr(SessionLib.KIND_TRANSFER_VALUE, i, v, limit - sum, 0);
            } else {
                sum += v;
            }
        }
        if (expected.length != 0) {
            vm.expectRevert(expected);
            _validate(_batch(ex), spec);
            assertEq(validator.sessionState(address(account), spec).transferValue[0].used, 0);
        } else {
            _validate(_batch(ex), spec);
            assertEq(validator.sessionState(address(account), spec).transferValue[0].used, sum);
        }
    }

    /// @dev For any period and time, the returned window is exactly that period (capped by expiry): the EntryPoint
    ///      accepts the op at every second of the period and at no second outside it.
    function testFuzz_allowanceWindowIsThePeriod(uint48 period, uint256 time, uint256 probe) public {
        period = uint48(bound(period, 1, 400 days));
        time = bound(time, T0, T0 + 5 * 365 days);
        vm.warp(time);
        SessionLib.SessionSpec memory spec = _transferSpec(10, _allowance(10, period));
        spec.expiresAt = uint48(time + 1000 days);
        _create(spec);
        uint256 data = _validate(_single(RECIPIENT, 1, ""), spec);
        uint256 start = (time / period) * period;
        uint256 next = start + period;
        assertEq(_validAfter(data), start - 1);
        assertEq(_validUntil(data), next - 1);
        probe = bound(probe, start - period, next + period);
        assertEq(_inWindow(data, probe), probe >= start && probe < next);
    }

    /// @dev Reference model for testFuzz_allowanceAcrossWarps: period id -> amount used.
    mapping(uint256 periodId => uint256) internal _refUsed;

    /// @dev Allowance over random warps: each period's total never exceeds the allowance, and the allowance is
    ///      whole again in each new period (reference: a map period id -> used).
    function testFuzz_allowanceAcrossWarps(uint256 limit, uint48 period, uint256[8] memory steps) public {
        limit = bound(limit, 1, 1000);
        period = uint48(bound(period, 60, 1 days));
        SessionLib.SessionSpec memory spec = _transferSpec(limit, _allowance(limit, period));
        spec.expiresAt = uint48(block.timestamp + 365 days);
        _create(spec);
        for (uint256 i = 0; i < steps.length; i++) {
            vm.warp(block.timestamp + bound(steps[i] >> 128, 0, 2 * uint256(period)));
            _allowanceStep(spec, limit, period, bound(uint128(steps[i]), 0, limit));
        }
    }

    function _allowanceStep(
        SessionLib.SessionSpec memory spec,
        uint256 limit,
        uint48 period,
        uint256 amount
    ) internal {
        uint256 id = block.timestamp / period;
        uint256 used = _refUsed[id];
        bytes memory callData = _single(RECIPIENT, amount, "");
        if (used + amount <= limit) {
            uint256 data = _validate(callData, spec);
            assertTrue(_inWindow(data, block.timestamp));
            _refUsed[id] = used + amount;
        } else {
            vm.expectRevert(
                _limitErr(SessionLib.KIND_TRANSFER_VALUE, 0, amount, limit - used, (id + 1) * period)
            );
            _validate(callData, spec);
        }
        assertEq(validator.sessionState(address(account), spec).transferValue[0].used, _refUsed[id]);
    }

    /// @dev Unlimited (the third limit type): any sequence of values and constrained words is accepted and nothing
    ///      is counted, on a transfer value, a call value and a constraint alike.
    function testFuzz_unlimitedNeverRefusesNorCounts(uint256[4] memory amounts) public {
        SessionLib.SessionSpec memory spec =
            _callSpec(type(uint256).max, _unlimited(), _constraint(SessionLib.Condition.Unconstrained, 1, 0, _unlimited()));
        spec.transferPolicies = _transferSpec(type(uint256).max, _unlimited()).transferPolicies;
        _create(spec);
        for (uint256 i = 0; i < amounts.length; i++) {
            assertFalse(_sigFailed(_validate(_single(address(target), amounts[i], _transferCall(RECIPIENT, amounts[i])), spec)));
            assertFalse(_sigFailed(_validate(_single(RECIPIENT, amounts[i], ""), spec)));
        }
        SessionLib.SessionState memory state = validator.sessionState(address(account), spec);
        assertEq(state.transferValue[0].used, 0);
        assertEq(state.callValue[0].used, 0);
        assertEq(state.constraints[0].used, 0);
        assertEq(state.constraints[0].remaining, type(uint256).max);
    }

    /// @dev The fee counted is the op's max cost: (preVerificationGas + verificationGasLimit + callGasLimit) *
    ///      maxFeePerGas, whatever the priority fee.
    function testFuzz_feeIsMaxCost(uint128 pvg, uint128 vgl, uint128 cgl, uint128 maxFee, uint128 prio) public {
        pvg = uint128(bound(pvg, 0, 1e8));
        vgl = uint128(bound(vgl, 0, 1e8));
        cgl = uint128(bound(cgl, 0, 1e8));
        maxFee = uint128(bound(maxFee, 0, 1e12));
        SessionLib.SessionSpec memory spec = _transferSpec(1, _lifetime(1));
        spec.feeLimit = _lifetime(type(uint256).max);
        _create(spec);
        (PackedUserOperation memory op,) = _op(_single(RECIPIENT, 1, ""), spec, uint48(block.timestamp), SESSION_PK);
        op.preVerificationGas = pvg;
        op.accountGasLimits = bytes32((uint256(vgl) << 128) | cgl);
        op.gasFees = bytes32((uint256(prio) << 128) | maxFee);
        bytes32 h = keccak256(abi.encode(op.callData, pvg, vgl, cgl, maxFee, prio));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        op.signature = abi.encode(abi.encodePacked(r, s, v), spec, uint48(block.timestamp));
        assertFalse(_sigFailed(account.validate(IValidator(address(validator)), op, h)));
        uint256 expected = (uint256(pvg) + vgl + cgl) * maxFee;
        assertEq(validator.sessionState(address(account), spec).fee.used, expected);
    }
}
