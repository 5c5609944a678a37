// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {SessionLib} from "../../src/libraries/SessionLib.sol";
import {SessionHandler} from "./session/SessionHandler.sol";

/// @notice Invariant: whatever sequence of session operations (honest or dishonest claimed times, batches,
///         transfers, token calls) and warps, no actual period sees more accepted spending than its allowance,
///         and the validator's own counters agree with the independently kept ghost totals.
contract SessionInvariantTest is Test {
    /// @dev forge-std's StdInvariant.FuzzSelector shape: forge reads `targetSelectors()` as (address,bytes4[])[].
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    SessionHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new SessionHandler();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory selectors) {
        bytes4[] memory fns = new bytes4[](4);
        fns[0] = SessionHandler.warp.selector;
        fns[1] = SessionHandler.sendValue.selector;
        fns[2] = SessionHandler.sendTokens.selector;
        fns[3] = SessionHandler.sendBatch.selector;
        selectors = new FuzzSelector[](1);
        selectors[0] = FuzzSelector(address(handler), fns);
    }

    function invariant_noPeriodExceedsItsAllowance() public view {
        uint256 n = handler.touchedCount();
        for (uint256 i = 0; i < n; i++) {
            uint256 t = handler.touchedTimes(i);
            assertLe(handler.transferSpent(t / handler.TRANSFER_PERIOD()), handler.TRANSFER_ALLOWANCE());
            assertLe(handler.tokenSpent(t / handler.TOKEN_PERIOD()), handler.TOKEN_ALLOWANCE());
            assertLe(handler.feeSpent(t / handler.FEE_PERIOD()), handler.FEE_ALLOWANCE());
        }
    }

    function invariant_validatorCountersMatchGhost() public view {
        uint256 n = handler.touchedCount();
        SessionLib.SessionSpec memory spec = handler.spec();
        for (uint256 i = 0; i < n; i++) {
            uint256 t = handler.touchedTimes(i);
            SessionLib.SessionState memory s =
                handler.validator().sessionStateAt(address(handler.account()), spec, uint48(t));
            assertEq(s.transferValue[0].used, handler.transferSpent(t / handler.TRANSFER_PERIOD()));
            assertEq(s.constraints[0].used, handler.tokenSpent(t / handler.TOKEN_PERIOD()));
            assertEq(s.fee.used, handler.feeSpent(t / handler.FEE_PERIOD()));
        }
    }
}
