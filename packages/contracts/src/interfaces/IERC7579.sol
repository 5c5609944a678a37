// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

/// @dev ERC-7579 module type ids.
uint256 constant MODULE_TYPE_VALIDATOR = 1;
uint256 constant MODULE_TYPE_EXECUTOR = 2;
uint256 constant MODULE_TYPE_FALLBACK = 3;
uint256 constant MODULE_TYPE_HOOK = 4;

/// @dev ERC-4337 validation results a validator returns (or packed validationData with validUntil/validAfter).
uint256 constant VALIDATION_SUCCESS = 0;
uint256 constant VALIDATION_FAILED = 1;

/// @dev ERC-1271 answers.
bytes4 constant ERC1271_MAGIC_VALUE = 0x1626ba7e;
bytes4 constant ERC1271_INVALID = 0xffffffff;

/// @notice One call of a batch (ERC-7579 `Execution`): a batch is `abi.encode(Execution[])`.
struct Execution {
    address target;
    uint256 value;
    bytes callData;
}

/// @title IModule
/// @notice ERC-7579 module configuration interface: the account calls these on (un)installation.
interface IModule {
    /// @notice Thrown by `onInstall` when the module is already initialised for the calling account.
    error AlreadyInitialized(address smartAccount);
    /// @notice Thrown by a module used by an account that has not installed it.
    error NotInitialized(address smartAccount);

    /// @notice Called by the account (msg.sender) when it installs the module; `data` is the module's install data.
    function onInstall(bytes calldata data) external;

    /// @notice Called by the account (msg.sender) when it uninstalls the module.
    function onUninstall(bytes calldata data) external;

    /// @notice True if the module is of type `moduleTypeId` (1 validator, 2 executor, 3 fallback, 4 hook).
    function isModuleType(uint256 moduleTypeId) external view returns (bool);

    /// @notice True if the module holds configuration for `smartAccount` (installed there).
    function isInitialized(address smartAccount) external view returns (bool);
}

/// @title IValidator
/// @notice ERC-7579 validator module.
/// @dev zkSSO convention (protocol §10): the account passes a copy of the user operation whose `signature` is the
///      validator signature WITHOUT the 20-byte validator-address prefix; likewise `data` in
///      {isValidSignatureWithSender} has the prefix stripped.
interface IValidator is IModule {
    /// @notice Validates `userOp` for the calling account (msg.sender); returns ERC-4337 validationData
    ///         (0 success, 1 failure, or packed `authorizer | validUntil << 160 | validAfter << 208`).
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash) external returns (uint256);

    /// @notice ERC-1271 check on behalf of the calling account; `sender` is the original ERC-1271 caller.
    /// @return ERC1271_MAGIC_VALUE (0x1626ba7e) when valid, 0xffffffff otherwise.
    function isValidSignatureWithSender(address sender, bytes32 hash, bytes calldata data)
        external
        view
        returns (bytes4);
}

/// @title IExecutor
/// @notice ERC-7579 executor module: once installed it may call `executeFromExecutor` on the account.
interface IExecutor is IModule {}

/// @title IHook
/// @notice ERC-7579 hook module (declared for completeness; the zkSSO account does not install hooks in v1).
interface IHook is IModule {
    function preCheck(address msgSender, uint256 value, bytes calldata msgData) external returns (bytes memory hookData);

    function postCheck(bytes calldata hookData) external;
}

/// @title IERC7579Account
/// @notice The ERC-7579 account surface (execution, module configuration, account configuration).
interface IERC7579Account {
    event ModuleInstalled(uint256 moduleTypeId, address module);
    event ModuleUninstalled(uint256 moduleTypeId, address module);

    /// @notice Executes per `mode` (ERC-7579 ModeLib: byte 0 callType, byte 1 execType). Only EntryPoint or self.
    function execute(bytes32 mode, bytes calldata executionCalldata) external payable;

    /// @notice Executes on behalf of an installed executor module.
    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata)
        external
        payable
        returns (bytes[] memory returnData);

    function installModule(uint256 moduleTypeId, address module, bytes calldata initData) external payable;

    function uninstallModule(uint256 moduleTypeId, address module, bytes calldata deInitData) external payable;

    function isModuleInstalled(uint256 moduleTypeId, address module, bytes calldata additionalContext)
        external
        view
        returns (bool);

    function supportsModule(uint256 moduleTypeId) external view returns (bool);

    function supportsExecutionMode(bytes32 encodedMode) external view returns (bool);

    function accountId() external view returns (string memory accountImplementationId);
}
