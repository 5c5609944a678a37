// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739Utils} from "@openzeppelin/contracts/utils/cryptography/draft-ERC7739Utils.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

import {
    IERC7579Account,
    IModule,
    IValidator,
    Execution,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR,
    VALIDATION_FAILED,
    ERC1271_MAGIC_VALUE,
    ERC1271_INVALID
} from "../interfaces/IERC7579.sol";
import {ExecutionLib} from "../libraries/ExecutionLib.sol";

/// @title ZkSsoAccount
/// @notice zkSSO's ERC-4337 v0.8 modular smart account (ERC-7579 validators and executors), used behind an
///         ERC-1967 proxy (UUPS; only the account itself may upgrade).
/// @dev User operation signatures are `validator (20 bytes) ‖ validatorSignature` (protocol §10): the account
///      forwards a copy of the operation whose `signature` is `validatorSignature` to that installed validator.
///      ERC-1271 signatures have the same prefix; the hash the validator sees is wrapped by ERC-7739 (nested
///      typed data or nested personal sign) under this account's EIP-712 domain, so a signature made for one
///      account cannot be replayed on another account controlled by the same key.
///      Module state lives in an ERC-7201 namespace so that upgrades cannot collide with it.
contract ZkSsoAccount is
    IAccount,
    IERC7579Account,
    IERC1271,
    IERC165,
    IERC721Receiver,
    IERC1155Receiver,
    EIP712,
    Initializable,
    UUPSUpgradeable
{
    using ExecutionLib for bytes;
    using ERC7739Utils for *;
    using MessageHashUtils for bytes32;

    /// @custom:storage-location erc7201:zksso.account.modules
    struct ModuleStorage {
        mapping(address module => bool) validators;
        mapping(address module => bool) executors;
        uint256 validatorCount;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("zksso.account.modules")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODULE_STORAGE_SLOT = 0xeebf62ff0c33ac11807a836148849e601d8c1f37c545114843f993748df9b900;

    /// @notice The ERC-4337 EntryPoint (v0.8) this account trusts.
    IEntryPoint public immutable entryPoint;

    /// @notice Thrown when a function reserved to the EntryPoint is called by someone else.
    error NotFromEntryPoint(address caller);
    /// @notice Thrown when a function reserved to the EntryPoint or the account itself is called by someone else.
    error NotFromEntryPointOrSelf(address caller);
    /// @notice Thrown when `executeFromExecutor` is called by an address that is not an installed executor.
    error NotAnInstalledExecutor(address caller);
    /// @notice Thrown when a signature names a validator that is not installed (or is too short to name one).
    error InvalidValidator(address validator);
    /// @notice Thrown when installing a module type the account does not support (only 1 and 2 are).
    error UnsupportedModuleType(uint256 moduleTypeId);
    /// @notice Thrown when the module does not declare itself of the requested type.
    error MismatchedModuleType(uint256 moduleTypeId, address module);
    /// @notice Thrown when the module is already installed.
    error ModuleAlreadyInstalled(uint256 moduleTypeId, address module);
    /// @notice Thrown when the module is not installed.
    error ModuleNotInstalled(uint256 moduleTypeId, address module);
    /// @notice Thrown when uninstalling the last validator, which would lock the account forever.
    error CannotRemoveLastValidator(address validator);
    /// @notice Thrown for execution modes the account does not support (delegatecall, unknown types).
    error UnsupportedExecutionMode(bytes32 mode);
    /// @notice Thrown when an `upgradeToAndCall` is not called by the account itself.
    error UpgradeNotFromSelf(address caller);

    /// @notice A call of a `try` execution failed (the batch goes on).
    event TryExecuteFailed(uint256 index, bytes returnData);

    modifier onlyEntryPoint() {
        if (msg.sender != address(entryPoint)) revert NotFromEntryPoint(msg.sender);
        _;
    }

    modifier onlyEntryPointOrSelf() {
        if (msg.sender != address(entryPoint) && msg.sender != address(this)) {
            revert NotFromEntryPointOrSelf(msg.sender);
        }
        _;
    }

    /// @param entryPoint_ The EntryPoint v0.8 (0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108 on every chain).
    constructor(IEntryPoint entryPoint_) EIP712("ZkSsoAccount", "1") {
        entryPoint = entryPoint_;
        _disableInitializers();
    }

    /// @notice Initialises a fresh proxy: installs `validator` with `initData` (its `onInstall` data).
    /// @dev Called by the factory in the same transaction as the proxy's deployment.
    function initialize(address validator, bytes calldata initData) external initializer {
        _installValidator(validator, initData);
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-4337
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAccount
    /// @dev Selects the validator from the first 20 bytes of the signature, strips them and delegates.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        onlyEntryPoint
        returns (uint256 validationData)
    {
        if (userOp.signature.length < 20) revert InvalidValidator(address(0));
        address validator = address(bytes20(userOp.signature[0:20]));
        if (!_moduleStorage().validators[validator]) revert InvalidValidator(validator);

        PackedUserOperation memory op = userOp;
        op.signature = userOp.signature[20:];
        validationData = IValidator(validator).validateUserOp(op, userOpHash);

        if (missingAccountFunds != 0) {
            // The result is ignored on purpose: the EntryPoint checks the deposit itself (AA21 when short).
            assembly ("memory-safe") {
                pop(call(gas(), caller(), missingAccountFunds, 0, 0, 0, 0))
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-7579 execution
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IERC7579Account
    function execute(bytes32 mode, bytes calldata executionCalldata) external payable onlyEntryPointOrSelf {
        _execute(mode, executionCalldata);
    }

    /// @inheritdoc IERC7579Account
    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata)
        external
        payable
        returns (bytes[] memory returnData)
    {
        if (!_moduleStorage().executors[msg.sender]) revert NotAnInstalledExecutor(msg.sender);
        return _execute(mode, executionCalldata);
    }

    function _execute(bytes32 mode, bytes calldata executionCalldata) internal returns (bytes[] memory returnData) {
        (bytes1 callType, bytes1 execType) = ExecutionLib.decodeMode(mode);
        if (execType != ExecutionLib.EXECTYPE_DEFAULT && execType != ExecutionLib.EXECTYPE_TRY) {
            revert UnsupportedExecutionMode(mode);
        }
        bool isTry = execType == ExecutionLib.EXECTYPE_TRY;
        if (callType == ExecutionLib.CALLTYPE_SINGLE) {
            (address target, uint256 value, bytes calldata callData) = executionCalldata.decodeSingle();
            returnData = new bytes[](1);
            returnData[0] = _call(0, isTry, target, value, callData);
        } else if (callType == ExecutionLib.CALLTYPE_BATCH) {
            Execution[] calldata executions = executionCalldata.decodeBatch();
            returnData = new bytes[](executions.length);
            for (uint256 i; i < executions.length; ++i) {
                returnData[i] = _call(i, isTry, executions[i].target, executions[i].value, executions[i].callData);
            }
        } else {
            // delegatecall (0xff) would let any callee rewrite this account's storage: refused.
            revert UnsupportedExecutionMode(mode);
        }
    }

    function _call(uint256 index, bool isTry, address target, uint256 value, bytes calldata data)
        private
        returns (bytes memory returnData)
    {
        bool success;
        (success, returnData) = target.call{value: value}(data);
        if (!success) {
            if (!isTry) {
                // Bubble the callee's revert data unchanged so that callers see the real reason.
                assembly ("memory-safe") {
                    revert(add(returnData, 0x20), mload(returnData))
                }
            }
            emit TryExecuteFailed(index, returnData);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-7579 module configuration
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IERC7579Account
    function installModule(uint256 moduleTypeId, address module, bytes calldata initData)
        external
        payable
        onlyEntryPointOrSelf
    {
        if (moduleTypeId == MODULE_TYPE_VALIDATOR) {
            _installValidator(module, initData);
        } else if (moduleTypeId == MODULE_TYPE_EXECUTOR) {
            ModuleStorage storage $ = _moduleStorage();
            if ($.executors[module]) revert ModuleAlreadyInstalled(moduleTypeId, module);
            _checkModuleType(moduleTypeId, module);
            $.executors[module] = true;
            IModule(module).onInstall(initData);
            emit ModuleInstalled(moduleTypeId, module);
        } else {
            revert UnsupportedModuleType(moduleTypeId);
        }
    }

    /// @inheritdoc IERC7579Account
    function uninstallModule(uint256 moduleTypeId, address module, bytes calldata deInitData)
        external
        payable
        onlyEntryPointOrSelf
    {
        ModuleStorage storage $ = _moduleStorage();
        if (moduleTypeId == MODULE_TYPE_VALIDATOR) {
            if (!$.validators[module]) revert ModuleNotInstalled(moduleTypeId, module);
            if ($.validatorCount == 1) revert CannotRemoveLastValidator(module);
            $.validators[module] = false;
            unchecked {
                --$.validatorCount;
            }
        } else if (moduleTypeId == MODULE_TYPE_EXECUTOR) {
            if (!$.executors[module]) revert ModuleNotInstalled(moduleTypeId, module);
            $.executors[module] = false;
        } else {
            revert UnsupportedModuleType(moduleTypeId);
        }
        IModule(module).onUninstall(deInitData);
        emit ModuleUninstalled(moduleTypeId, module);
    }

    /// @inheritdoc IERC7579Account
    function isModuleInstalled(uint256 moduleTypeId, address module, bytes calldata) external view returns (bool) {
        if (moduleTypeId == MODULE_TYPE_VALIDATOR) return _moduleStorage().validators[module];
        if (moduleTypeId == MODULE_TYPE_EXECUTOR) return _moduleStorage().executors[module];
        return false;
    }

    /// @inheritdoc IERC7579Account
    function supportsModule(uint256 moduleTypeId) external pure returns (bool) {
        return moduleTypeId == MODULE_TYPE_VALIDATOR || moduleTypeId == MODULE_TYPE_EXECUTOR;
    }

    /// @inheritdoc IERC7579Account
    function supportsExecutionMode(bytes32 mode) external pure returns (bool) {
        (bytes1 callType, bytes1 execType) = ExecutionLib.decodeMode(mode);
        return (callType == ExecutionLib.CALLTYPE_SINGLE || callType == ExecutionLib.CALLTYPE_BATCH)
            && (execType == ExecutionLib.EXECTYPE_DEFAULT || execType == ExecutionLib.EXECTYPE_TRY);
    }

    /// @inheritdoc IERC7579Account
    function accountId() external pure returns (string memory) {
        return "zksso.account.1.0.0";
    }

    function _installValidator(address validator, bytes calldata initData) internal {
        ModuleStorage storage $ = _moduleStorage();
        if ($.validators[validator]) revert ModuleAlreadyInstalled(MODULE_TYPE_VALIDATOR, validator);
        _checkModuleType(MODULE_TYPE_VALIDATOR, validator);
        $.validators[validator] = true;
        unchecked {
            ++$.validatorCount;
        }
        IModule(validator).onInstall(initData);
        emit ModuleInstalled(MODULE_TYPE_VALIDATOR, validator);
    }

    function _checkModuleType(uint256 moduleTypeId, address module) private view {
        bool ok;
        if (module.code.length != 0) {
            try IModule(module).isModuleType(moduleTypeId) returns (bool isType) {
                ok = isType;
            } catch {}
        }
        if (!ok) revert MismatchedModuleType(moduleTypeId, module);
    }

    function _moduleStorage() private pure returns (ModuleStorage storage $) {
        assembly ("memory-safe") {
            $.slot := MODULE_STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-1271 with ERC-7739
    // ---------------------------------------------------------------------------------------------------------

    /// @notice ERC-1271: `signature = validator (20 bytes) ‖ validatorSignature`, where validatorSignature is
    ///         an ERC-7739 nested typed-data signature (`sig ‖ appSeparator ‖ contentsHash ‖ contentsDescr ‖
    ///         uint16(len)`) or, failing that, a nested personal-sign signature over the raw `hash`.
    /// @dev For `hash == 0x7739…7739` and an empty signature returns `0x77390001` (ERC-7739 support detection).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length == 0) {
            return hash == 0x7739773977397739773977397739773977397739773977397739773977397739
                ? bytes4(0x77390001)
                : ERC1271_INVALID;
        }
        if (signature.length < 20) return ERC1271_INVALID;
        address validator = address(bytes20(signature[0:20]));
        if (!_moduleStorage().validators[validator]) return ERC1271_INVALID;
        bytes calldata wrapped = signature[20:];

        // Nested typed data (ERC-7739 TypedDataSign).
        if (_isValidNestedTypedData(validator, hash, wrapped)) return ERC1271_MAGIC_VALUE;
        // Nested personal sign (ERC-7739 PersonalSign) under this account's domain.
        bytes32 personal = _domainSeparatorV4().toTypedDataHash(hash.personalSignStructHash());
        return _validatorAccepts(validator, personal, wrapped) ? ERC1271_MAGIC_VALUE : ERC1271_INVALID;
    }

    function _isValidNestedTypedData(address validator, bytes32 hash, bytes calldata wrapped)
        private
        view
        returns (bool)
    {
        (bytes calldata inner, bytes32 appSeparator, bytes32 contentsHash, string calldata contentsDescr) =
            wrapped.decodeTypedDataSig();
        if (hash != appSeparator.toTypedDataHash(contentsHash)) return false;
        bytes32 nested = _nestedTypedDataHash(appSeparator, contentsHash, contentsDescr);
        return nested != bytes32(0) && _validatorAccepts(validator, nested, inner);
    }

    /// @dev The ERC-7739 `TypedDataSign` digest the validator must have signed (0 if `contentsDescr` is invalid).
    function _nestedTypedDataHash(bytes32 appSeparator, bytes32 contentsHash, string calldata contentsDescr)
        private
        view
        returns (bytes32)
    {
        (string calldata contentsName, string calldata contentsType) = contentsDescr.decodeContentsDescr();
        if (bytes(contentsName).length == 0) return bytes32(0);
        return appSeparator.toTypedDataHash(
            ERC7739Utils.typedDataSignStructHash(contentsName, contentsType, contentsHash, _domainBytes())
        );
    }

    function _validatorAccepts(address validator, bytes32 hash, bytes calldata sig) private view returns (bool) {
        try IValidator(validator).isValidSignatureWithSender(msg.sender, hash, sig) returns (bytes4 result) {
            return result == ERC1271_MAGIC_VALUE;
        } catch {
            return false;
        }
    }

    function _domainBytes() private view returns (bytes memory) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt,) =
            eip712Domain();
        return abi.encode(keccak256(bytes(name)), keccak256(bytes(version)), chainId, verifyingContract, salt);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Upgrades, tokens, introspection
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Only the account itself (an `execute` through the EntryPoint) may upgrade it.
    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != address(this)) revert UpgradeNotFromSelf(msg.sender);
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        returns (bytes4)
    {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC1271).interfaceId
            || interfaceId == type(IAccount).interfaceId || interfaceId == type(IERC721Receiver).interfaceId
            || interfaceId == type(IERC1155Receiver).interfaceId;
    }

    /// @notice Accepts plain ETH transfers.
    receive() external payable {}
}
