// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    IExecutor,
    IModule,
    IERC7579Account,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR
} from "../interfaces/IERC7579.sol";
import {ExecutionLib} from "../libraries/ExecutionLib.sol";

/// @title RecoveryModule
/// @notice ERC-7579 executor for account recovery with a veto period. The account registers, in advance, one or
///         more dormant recovery credentials: "install validator V with install data D" (for example
///         ZkLoginValidator with `abi.encode(issHash, idc)` on a passkey account, or WebAuthnValidator with a
///         passkey on an OpenID account). When the user has lost their usual credential, anyone may initiate the
///         recovery; after the account's delay anyone may execute it, which installs V with D on the account
///         through `executeFromExecutor`. Until then the account (through any of its installed validators) may
///         cancel it.
/// @dev Initiation and execution need no signature: they can only ever install a credential the account itself
///      registered, and that credential proves control later, in every user operation it validates (a zkLogin
///      proof, a passkey assertion). The delay protects against a compromised recovery credential: the owner sees
///      `RecoveryInitiated` and cancels. See docs/contracts/modules-b.md for the threat model.
///      All configuration is keyed by (account, epoch); uninstalling bumps the epoch, which forgets everything.
contract RecoveryModule is IExecutor {
    /// @notice Delay used when the install data is empty.
    uint48 public constant DEFAULT_DELAY = 2 days;
    /// @notice Bounds on the delay: shorter gives the owner no time to react, longer strands a user.
    uint48 public constant MIN_DELAY = 1 days;
    uint48 public constant MAX_DELAY = 90 days;

    struct AccountConfig {
        bool installed;
        uint48 delay;
        uint64 epoch;
    }

    /// @notice State of one registered recovery credential; readyAt = 0 when no recovery is pending.
    struct Recovery {
        bool registered;
        uint48 readyAt;
    }

    /// @notice The delay is outside [MIN_DELAY, MAX_DELAY].
    error InvalidDelay(uint256 delay);
    /// @notice The recovery validator is the zero address or does not declare itself a validator (type 1).
    error InvalidValidator(address validator);
    /// @notice The credential is already registered for the account.
    error RecoveryAlreadyRegistered(address account, bytes32 recoveryId);
    /// @notice No such credential is registered for the account.
    error RecoveryNotRegistered(address account, bytes32 recoveryId);
    /// @notice A recovery of this credential is already pending.
    error RecoveryAlreadyPending(address account, bytes32 recoveryId);
    /// @notice No recovery of this credential is pending.
    error RecoveryNotPending(address account, bytes32 recoveryId);
    /// @notice The delay has not elapsed yet.
    error RecoveryNotReady(address account, bytes32 recoveryId, uint48 readyAt);

    event RecoveryDelaySet(address indexed account, uint48 delay);
    event RecoveryCredentialAdded(
        address indexed account, bytes32 indexed recoveryId, address validator, bytes installData
    );
    event RecoveryCredentialRemoved(address indexed account, bytes32 indexed recoveryId);
    event RecoveryInitiated(
        address indexed account, bytes32 indexed recoveryId, address validator, uint48 readyAt, address initiator
    );
    event RecoveryCancelled(address indexed account, bytes32 indexed recoveryId);
    event RecoveryExecuted(address indexed account, bytes32 indexed recoveryId, address validator);

    mapping(address account => AccountConfig) private _configs;
    mapping(address account => mapping(uint64 epoch => mapping(bytes32 recoveryId => Recovery))) private _recoveries;

    // ------------------------------------------------------------------------------------------------------------
    // ERC-7579 module configuration
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Installs for msg.sender. `data` = empty (delay DEFAULT_DELAY) or `abi.encode(uint48 delay)`.
    function onInstall(bytes calldata data) external override {
        AccountConfig storage config = _configs[msg.sender];
        if (config.installed) revert AlreadyInitialized(msg.sender);
        uint48 delay = data.length == 0 ? DEFAULT_DELAY : abi.decode(data, (uint48));
        _checkDelay(delay);
        config.installed = true;
        config.delay = delay;
        emit RecoveryDelaySet(msg.sender, delay);
    }

    /// @notice Forgets msg.sender's delay, credentials and pending recoveries (data is ignored).
    function onUninstall(bytes calldata) external override {
        AccountConfig storage config = _configs[msg.sender];
        if (!config.installed) revert NotInitialized(msg.sender);
        config.installed = false;
        config.delay = 0;
        config.epoch += 1;
    }

    /// @notice True for the executor type (2) only.
    function isModuleType(uint256 moduleTypeId) external pure override returns (bool) {
        return moduleTypeId == MODULE_TYPE_EXECUTOR;
    }

    /// @notice True if `smartAccount` installed the module.
    function isInitialized(address smartAccount) external view override returns (bool) {
        return _configs[smartAccount].installed;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Account-only configuration (msg.sender is the account)
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Changes msg.sender's delay (applies to recoveries initiated afterwards).
    function setDelay(uint48 delay) external {
        AccountConfig storage config = _installedConfig(msg.sender);
        _checkDelay(delay);
        config.delay = delay;
        emit RecoveryDelaySet(msg.sender, delay);
    }

    /// @notice Registers a dormant recovery credential: validator `validator` with install data `installData`.
    /// @return recoveryId keccak256(abi.encode(validator, installData)).
    function addRecoveryCredential(address validator, bytes calldata installData)
        external
        returns (bytes32 recoveryId)
    {
        AccountConfig storage config = _installedConfig(msg.sender);
        if (!_isValidator(validator)) revert InvalidValidator(validator);
        recoveryId = recoveryIdOf(validator, installData);
        Recovery storage recovery = _recoveries[msg.sender][config.epoch][recoveryId];
        if (recovery.registered) revert RecoveryAlreadyRegistered(msg.sender, recoveryId);
        recovery.registered = true;
        emit RecoveryCredentialAdded(msg.sender, recoveryId, validator, installData);
    }

    /// @notice Removes a recovery credential of msg.sender (and cancels its pending recovery, if any).
    function removeRecoveryCredential(bytes32 recoveryId) external {
        AccountConfig storage config = _installedConfig(msg.sender);
        Recovery storage recovery = _recoveries[msg.sender][config.epoch][recoveryId];
        if (!recovery.registered) revert RecoveryNotRegistered(msg.sender, recoveryId);
        if (recovery.readyAt != 0) emit RecoveryCancelled(msg.sender, recoveryId);
        delete _recoveries[msg.sender][config.epoch][recoveryId];
        emit RecoveryCredentialRemoved(msg.sender, recoveryId);
    }

    /// @notice Cancels msg.sender's pending recovery `recoveryId`; the credential stays registered.
    function cancelRecovery(bytes32 recoveryId) external {
        AccountConfig storage config = _installedConfig(msg.sender);
        Recovery storage recovery = _recoveries[msg.sender][config.epoch][recoveryId];
        if (recovery.readyAt == 0) revert RecoveryNotPending(msg.sender, recoveryId);
        recovery.readyAt = 0;
        emit RecoveryCancelled(msg.sender, recoveryId);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Permissionless recovery
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Starts the delay for installing a registered credential on `account`. Anyone may call it.
    /// @return readyAt The time from which {executeRecovery} succeeds.
    function initiateRecovery(address account, address validator, bytes calldata installData)
        external
        returns (uint48 readyAt)
    {
        AccountConfig storage config = _installedConfig(account);
        bytes32 recoveryId = recoveryIdOf(validator, installData);
        Recovery storage recovery = _recoveries[account][config.epoch][recoveryId];
        if (!recovery.registered) revert RecoveryNotRegistered(account, recoveryId);
        if (recovery.readyAt != 0) revert RecoveryAlreadyPending(account, recoveryId);
        readyAt = uint48(block.timestamp) + config.delay;
        recovery.readyAt = readyAt;
        emit RecoveryInitiated(account, recoveryId, validator, readyAt, msg.sender);
    }

    /// @notice Installs the credential on `account` once its delay has elapsed. Anyone may call it.
    /// @dev Calls `account.executeFromExecutor(single, account ‖ 0 ‖ installModule(1, validator, installData))`; the
    ///      account must have this module installed as an executor, and the call reverts if the account refuses
    ///      (for example the validator is already installed), leaving the recovery pending.
    function executeRecovery(address account, address validator, bytes calldata installData) external {
        AccountConfig storage config = _installedConfig(account);
        bytes32 recoveryId = recoveryIdOf(validator, installData);
        Recovery storage recovery = _recoveries[account][config.epoch][recoveryId];
        uint48 readyAt = recovery.readyAt;
        if (readyAt == 0) revert RecoveryNotPending(account, recoveryId);
        if (block.timestamp < readyAt) revert RecoveryNotReady(account, recoveryId, readyAt);
        recovery.readyAt = 0;
        emit RecoveryExecuted(account, recoveryId, validator);
        bytes memory install =
            abi.encodeCall(IERC7579Account.installModule, (MODULE_TYPE_VALIDATOR, validator, installData));
        IERC7579Account(account)
            .executeFromExecutor(
                ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, ExecutionLib.EXECTYPE_DEFAULT),
                ExecutionLib.encodeSingle(account, 0, install)
            );
    }

    // ------------------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------------------

    /// @notice The id of the credential "install `validator` with `installData`".
    function recoveryIdOf(address validator, bytes calldata installData) public pure returns (bytes32) {
        return keccak256(abi.encode(validator, installData));
    }

    /// @notice `account`'s delay (0 when not installed).
    function delayOf(address account) external view returns (uint48) {
        return _configs[account].delay;
    }

    /// @notice Whether `recoveryId` is registered for `account` and when its pending recovery is ready (0: none).
    function getRecovery(address account, bytes32 recoveryId) external view returns (Recovery memory) {
        return _recoveries[account][_configs[account].epoch][recoveryId];
    }

    // ------------------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------------------

    function _installedConfig(address account) private view returns (AccountConfig storage config) {
        config = _configs[account];
        if (!config.installed) revert NotInitialized(account);
    }

    /// @dev True if `module` is a contract that answers isModuleType(1) with true (a revert counts as no).
    function _isValidator(address module) private view returns (bool) {
        if (module.code.length == 0) return false;
        try IModule(module).isModuleType(MODULE_TYPE_VALIDATOR) returns (bool isValidator) {
            return isValidator;
        } catch {
            return false;
        }
    }

    function _checkDelay(uint256 delay) private pure {
        if (delay < MIN_DELAY || delay > MAX_DELAY) revert InvalidDelay(delay);
    }
}
