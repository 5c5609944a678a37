// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {RecoveryModule} from "../../src/modules/RecoveryModule.sol";
import {WebAuthnValidator} from "../../src/validators/WebAuthnValidator.sol";
import {IModule, MODULE_TYPE_VALIDATOR, MODULE_TYPE_EXECUTOR} from "../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {WebAuthnSigner} from "./WebAuthnSigner.t.sol";

/// @notice A minimal ERC-7579 account: installModule only from itself (or its test owner), executeFromExecutor only
///         from installed executors, single-call mode only.
contract RecoveryMockAccount {
    address internal immutable owner;
    mapping(uint256 moduleType => mapping(address module => bool)) public installed;

    error NotAllowed(address caller);
    error ModuleAlreadyInstalled(address module);

    constructor() {
        owner = msg.sender;
    }

    function installModule(uint256 moduleTypeId, address module, bytes calldata initData) external payable {
        if (msg.sender != address(this) && msg.sender != owner) revert NotAllowed(msg.sender);
        if (installed[moduleTypeId][module]) revert ModuleAlreadyInstalled(module);
        installed[moduleTypeId][module] = true;
        IModule(module).onInstall(initData);
    }

    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata)
        external
        payable
        returns (bytes[] memory results)
    {
        if (!installed[MODULE_TYPE_EXECUTOR][msg.sender]) revert NotAllowed(msg.sender);
        require(mode == bytes32(0), "single only");
        (address target, uint256 value, bytes calldata data) = ExecutionLib.decodeSingle(executionCalldata);
        (bool ok, bytes memory ret) = target.call{value: value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        results = new bytes[](1);
        results[0] = ret;
    }

    /// @dev Test shorthand for "the account calls `target`" (what execute from a user operation does).
    function act(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "owner");
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }
}

contract RecoveryModuleTest is WebAuthnSigner {
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

    RecoveryModule internal recovery;
    WebAuthnValidator internal webauthn;
    RecoveryMockAccount internal account;

    uint256 internal constant KEY = 0xfeedbeef;
    bytes internal constant CRED = hex"0102030405";
    string internal constant ORIGIN = "https://wallet.zksso.test";
    bytes32 internal rpIdHash = sha256("wallet.zksso.test");
    bytes internal passkeyData;
    bytes32 internal recoveryId;
    address internal stranger = address(0x5712);

    function setUp() public {
        vm.warp(1_700_000_000);
        recovery = new RecoveryModule();
        webauthn = new WebAuthnValidator();
        account = new RecoveryMockAccount();
        account.installModule(MODULE_TYPE_EXECUTOR, address(recovery), "");
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        passkeyData = abi.encode(CRED, x, y, ORIGIN, rpIdHash);
        bytes memory ret = account.act(
            address(recovery), abi.encodeCall(RecoveryModule.addRecoveryCredential, (address(webauthn), passkeyData))
        );
        recoveryId = abi.decode(ret, (bytes32));
    }

    function _initiate() internal returns (uint48) {
        vm.prank(stranger);
        return recovery.initiateRecovery(address(account), address(webauthn), passkeyData);
    }

    // ---------------------------------------------------------------- install / configuration

    function test_install_defaultDelay() public view {
        assertTrue(recovery.isInitialized(address(account)));
        assertEq(recovery.delayOf(address(account)), 2 days);
        assertTrue(recovery.isModuleType(MODULE_TYPE_EXECUTOR));
        assertFalse(recovery.isModuleType(MODULE_TYPE_VALIDATOR));
        assertEq(recoveryId, keccak256(abi.encode(address(webauthn), passkeyData)));
        assertTrue(recovery.getRecovery(address(account), recoveryId).registered);
    }

    function test_install_customDelay_andBounds() public {
        vm.expectEmit(address(recovery));
        emit RecoveryDelaySet(address(0xB0B), 7 days);
        vm.prank(address(0xB0B));
        recovery.onInstall(abi.encode(uint48(7 days)));
        assertEq(recovery.delayOf(address(0xB0B)), 7 days);

        vm.startPrank(address(0xC0C));
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidDelay.selector, 1 days - 1));
        recovery.onInstall(abi.encode(uint48(1 days - 1)));
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidDelay.selector, 90 days + 1));
        recovery.onInstall(abi.encode(uint48(90 days + 1)));
        vm.stopPrank();
    }

    function test_install_twice_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.AlreadyInitialized.selector, address(account)));
        vm.prank(address(account));
        recovery.onInstall("");
    }

    function test_setDelay() public {
        vm.prank(address(account));
        recovery.setDelay(3 days);
        assertEq(recovery.delayOf(address(account)), 3 days);
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidDelay.selector, 0));
        vm.prank(address(account));
        recovery.setDelay(0);
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, stranger));
        vm.prank(stranger);
        recovery.setDelay(3 days);
    }

    function test_addRecoveryCredential_rejects() public {
        vm.startPrank(address(account));
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryAlreadyRegistered.selector, address(account), recoveryId)
        );
        recovery.addRecoveryCredential(address(webauthn), passkeyData);
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidValidator.selector, address(0)));
        recovery.addRecoveryCredential(address(0), passkeyData);
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidValidator.selector, address(0xdead)));
        recovery.addRecoveryCredential(address(0xdead), passkeyData); // no code
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidValidator.selector, address(recovery)));
        recovery.addRecoveryCredential(address(recovery), passkeyData); // an executor, not a validator
        vm.expectRevert(abi.encodeWithSelector(RecoveryModule.InvalidValidator.selector, address(account)));
        recovery.addRecoveryCredential(address(account), passkeyData); // no isModuleType at all
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, stranger));
        vm.prank(stranger);
        recovery.addRecoveryCredential(address(webauthn), passkeyData);
    }

    function test_addRecoveryCredential_emits() public {
        bytes memory other = abi.encode(uint256(1), uint256(2)); // e.g. ZkLoginValidator (issHash, idc)
        bytes32 id = keccak256(abi.encode(address(webauthn), other));
        vm.expectEmit(address(recovery));
        emit RecoveryCredentialAdded(address(account), id, address(webauthn), other);
        vm.prank(address(account));
        recovery.addRecoveryCredential(address(webauthn), other);
    }

    function test_removeRecoveryCredential() public {
        _initiate();
        vm.expectEmit(address(recovery));
        emit RecoveryCancelled(address(account), recoveryId);
        vm.expectEmit(address(recovery));
        emit RecoveryCredentialRemoved(address(account), recoveryId);
        vm.prank(address(account));
        recovery.removeRecoveryCredential(recoveryId);
        assertFalse(recovery.getRecovery(address(account), recoveryId).registered);
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotPending.selector, address(account), recoveryId)
        );
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotRegistered.selector, address(account), recoveryId)
        );
        vm.prank(address(account));
        recovery.removeRecoveryCredential(recoveryId);
    }

    // ---------------------------------------------------------------- recovery flow

    function test_recovery_fullFlow_installsPasskeyThatThenSigns() public {
        vm.expectEmit(address(recovery));
        emit RecoveryInitiated(
            address(account), recoveryId, address(webauthn), uint48(block.timestamp + 2 days), stranger
        );
        uint48 readyAt = _initiate();
        assertEq(readyAt, block.timestamp + 2 days);
        assertEq(recovery.getRecovery(address(account), recoveryId).readyAt, readyAt);

        vm.warp(readyAt);
        vm.expectEmit(address(recovery));
        emit RecoveryExecuted(address(account), recoveryId, address(webauthn));
        vm.prank(stranger);
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);

        assertTrue(account.installed(MODULE_TYPE_VALIDATOR, address(webauthn)));
        assertTrue(webauthn.isInitialized(address(account)));
        assertEq(recovery.getRecovery(address(account), recoveryId).readyAt, 0);

        // The recovered credential now proves control of the account.
        bytes32 opHash = keccak256("first op after recovery");
        PackedUserOperation memory op;
        op.sender = address(account);
        op.signature = encodeAssertion(signAssertion(buildAssertion(keccak256(CRED), opHash, rpIdHash, ORIGIN), KEY));
        vm.prank(address(account));
        assertEq(webauthn.validateUserOp(op, opHash), 0);
    }

    function test_initiate_unregistered_reverts() public {
        bytes memory other = abi.encode(uint256(1));
        bytes32 otherId = keccak256(abi.encode(address(webauthn), other));
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotRegistered.selector, address(account), otherId)
        );
        recovery.initiateRecovery(address(account), address(webauthn), other);
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, stranger));
        recovery.initiateRecovery(stranger, address(webauthn), passkeyData);
    }

    function test_initiate_twice_reverts() public {
        _initiate();
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryAlreadyPending.selector, address(account), recoveryId)
        );
        _initiate();
    }

    function test_execute_beforeDelay_reverts() public {
        uint48 readyAt = _initiate();
        vm.warp(readyAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotReady.selector, address(account), recoveryId, readyAt)
        );
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);
    }

    function test_execute_notInitiated_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotPending.selector, address(account), recoveryId)
        );
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);
    }

    function test_cancel_blocksExecution_andCanReinitiate() public {
        uint48 readyAt = _initiate();
        vm.expectEmit(address(recovery));
        emit RecoveryCancelled(address(account), recoveryId);
        vm.prank(address(account));
        recovery.cancelRecovery(recoveryId);
        vm.warp(readyAt);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotPending.selector, address(account), recoveryId)
        );
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);
        // The credential stays registered: a new recovery starts a new full delay.
        uint48 again = _initiate();
        assertEq(again, block.timestamp + 2 days);
    }

    function test_cancel_onlyAccount_andOnlyPending() public {
        _initiate();
        // A stranger "cancelling" acts on its own (uninstalled) config.
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, stranger));
        vm.prank(stranger);
        recovery.cancelRecovery(recoveryId);
        vm.startPrank(address(account));
        recovery.cancelRecovery(recoveryId);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotPending.selector, address(account), recoveryId)
        );
        recovery.cancelRecovery(recoveryId);
        vm.stopPrank();
    }

    function test_execute_accountRefuses_keepsPending() public {
        // The validator is already installed on the account: installModule reverts, the whole call reverts.
        account.installModule(MODULE_TYPE_VALIDATOR, address(webauthn), passkeyData);
        uint48 readyAt = _initiate();
        vm.warp(readyAt);
        vm.expectRevert(abi.encodeWithSelector(RecoveryMockAccount.ModuleAlreadyInstalled.selector, address(webauthn)));
        recovery.executeRecovery(address(account), address(webauthn), passkeyData);
        assertEq(recovery.getRecovery(address(account), recoveryId).readyAt, readyAt);
    }

    function test_execute_moduleNotAnExecutorOnAccount_reverts() public {
        RecoveryMockAccount bare = new RecoveryMockAccount();
        vm.prank(address(bare)); // module configured, but the account never installed it as an executor
        recovery.onInstall("");
        bytes memory ret = bare.act(
            address(recovery), abi.encodeCall(RecoveryModule.addRecoveryCredential, (address(webauthn), passkeyData))
        );
        bytes32 id = abi.decode(ret, (bytes32));
        recovery.initiateRecovery(address(bare), address(webauthn), passkeyData);
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert(abi.encodeWithSelector(RecoveryMockAccount.NotAllowed.selector, address(recovery)));
        recovery.executeRecovery(address(bare), address(webauthn), passkeyData);
        assertGt(recovery.getRecovery(address(bare), id).readyAt, 0);
    }

    function test_uninstall_forgetsEverything() public {
        _initiate();
        vm.prank(address(account));
        recovery.onUninstall("");
        assertFalse(recovery.isInitialized(address(account)));
        assertEq(recovery.delayOf(address(account)), 0);
        vm.prank(address(account));
        recovery.onInstall("");
        // Same id, new epoch: neither registered nor pending.
        assertFalse(recovery.getRecovery(address(account), recoveryId).registered);
        assertEq(recovery.getRecovery(address(account), recoveryId).readyAt, 0);
        vm.expectRevert(
            abi.encodeWithSelector(RecoveryModule.RecoveryNotRegistered.selector, address(account), recoveryId)
        );
        recovery.initiateRecovery(address(account), address(webauthn), passkeyData);
    }

    function test_uninstall_notInstalled_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, stranger));
        vm.prank(stranger);
        recovery.onUninstall("");
    }

    function testFuzz_execute_onlyAfterDelay(uint48 delay, uint48 wait) public {
        delay = uint48(bound(delay, 1 days, 90 days));
        wait = uint48(bound(wait, 0, 180 days));
        vm.prank(address(account));
        recovery.setDelay(delay);
        _initiate();
        vm.warp(block.timestamp + wait);
        if (wait < delay) {
            vm.expectRevert();
            recovery.executeRecovery(address(account), address(webauthn), passkeyData);
            assertFalse(account.installed(MODULE_TYPE_VALIDATOR, address(webauthn)));
        } else {
            recovery.executeRecovery(address(account), address(webauthn), passkeyData);
            assertTrue(account.installed(MODULE_TYPE_VALIDATOR, address(webauthn)));
        }
    }
}
