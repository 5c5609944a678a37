// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IExecutor, IERC7579Account, MODULE_TYPE_EXECUTOR} from "../../src/interfaces/IERC7579.sol";

/// @notice TEST ONLY. An executor module that forwards executions to an account.
contract MockExecutor is IExecutor {
    mapping(address => bool) public isInitialized;

    function onInstall(bytes calldata) external {
        isInitialized[msg.sender] = true;
    }

    function onUninstall(bytes calldata) external {
        isInitialized[msg.sender] = false;
    }

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_EXECUTOR;
    }

    function run(address account, bytes32 mode, bytes calldata data) external returns (bytes[] memory) {
        return IERC7579Account(account).executeFromExecutor(mode, data);
    }
}
