// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {IValidator} from "../../../src/interfaces/IERC7579.sol";

/// @notice Stand-in for an ERC-7579 account in validator unit tests: relays calls so that msg.sender at the
///         validator is this account, and answers isModuleInstalled from a table the test sets.
contract MockSessionAccount {
    mapping(uint256 moduleTypeId => mapping(address module => bool)) public installed;

    function setInstalled(uint256 moduleTypeId, address module, bool value) external {
        installed[moduleTypeId][module] = value;
    }

    function isModuleInstalled(uint256 moduleTypeId, address module, bytes calldata) external view returns (bool) {
        return installed[moduleTypeId][module];
    }

    /// @dev Calls `target` as the account; bubbles reverts unchanged so tests can expect typed errors.
    function exec(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    /// @dev What the account does in validateUserOp: hand the (prefix-stripped) op to the validator.
    function validate(IValidator validator, PackedUserOperation calldata userOp, bytes32 userOpHash)
        external
        returns (uint256)
    {
        return validator.validateUserOp(userOp, userOpHash);
    }
}

/// @notice A call target with an ERC-20-like `transfer(address,uint256)` and a three-word function.
contract MockSessionTarget {
    function transfer(address, uint256) external pure returns (bool) {
        return true;
    }

    function three(uint256, uint256, uint256) external pure {}
}
