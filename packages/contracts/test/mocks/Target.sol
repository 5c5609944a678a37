// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice TEST ONLY. A call target that records calls and can revert on demand.
contract Target {
    error Boom(uint256 code);

    uint256 public counter;
    address public lastCaller;
    uint256 public lastValue;

    function bump(uint256 by) external payable returns (uint256) {
        counter += by;
        lastCaller = msg.sender;
        lastValue = msg.value;
        return counter;
    }

    function fail(uint256 code) external pure {
        revert Boom(code);
    }
}
