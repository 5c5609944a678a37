// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ERC7739Utils} from "@openzeppelin/contracts/utils/cryptography/draft-ERC7739Utils.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

import {ZkSsoBase} from "./base/ZkSsoBase.sol";
import {ZkSsoAccount} from "../../src/account/ZkSsoAccount.sol";
import {IERC7579Account, Execution} from "../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {JwkRegistry} from "../../src/registry/JwkRegistry.sol";
import {Target} from "../mocks/Target.sol";
import {MockExecutor} from "../mocks/MockExecutor.sol";

contract ZkSsoAccountTest is ZkSsoBase {
    Target internal target;
    ZkSsoAccount internal account;

    bytes32 internal constant SINGLE = bytes32(0);
    bytes32 internal constant BATCH = bytes32(bytes1(0x01));
    bytes32 internal constant TRY_BATCH = bytes32(bytes2(0x0101));

    function setUp() public override {
        super.setUp();
        target = new Target();
        account = _newAccount();
        vm.deal(address(account), 10 ether);
    }

    function _bumpCall(uint256 by) internal view returns (bytes memory) {
        return abi.encodeCall(
            IERC7579Account.execute,
            (SINGLE, abi.encodePacked(address(target), uint256(0), abi.encodeCall(Target.bump, (by))))
        );
    }

    function _signed(PackedUserOperation memory op, bool prove, uint48 expiry)
        internal
        view
        returns (PackedUserOperation memory)
    {
        bytes32 hash = entryPoint.getUserOpHash(op);
        bytes memory sig = prove ? _proveSig(EPH_PK, hash, expiry) : _keySig(EPH_PK, hash);
        op.signature = abi.encodePacked(address(zkLogin), sig);
        return op;
    }

    // ----- ERC-4337 flow -----------------------------------------------------------------------------------

    function test_counterfactualDeployProveThenKeyOnly() public {
        uint48 expiry = uint48(block.timestamp + 1 hours);
        address predicted = factory.getOpenIdAccountAddress(ISS, 0x7777);
        vm.deal(predicted, 1 ether);
        bytes memory initCode =
            abi.encodePacked(address(factory), abi.encodeCall(factory.createOpenIdAccount, (ISS, 0x7777)));
        PackedUserOperation memory op = _op(predicted, initCode, _bumpCall(5));
        bytes32 hash = entryPoint.getUserOpHash(op);
        op.signature = abi.encodePacked(
            address(zkLogin),
            _proveSig(EPH_PK, hash, expiry, MODULUS, _proof(ISS, 0x7777, _keyId(vm.addr(EPH_PK)), expiry, MODULUS))
        );
        _handle(op);
        assertEq(target.counter(), 5);
        assertEq(target.lastCaller(), predicted);
        (uint48 stored, bool revoked) = zkLogin.keyOf(predicted, _keyId(vm.addr(EPH_PK)));
        assertEq(uint256(stored), uint256(expiry));
        assertFalse(revoked);

        PackedUserOperation memory op2 = _op(predicted, "", _bumpCall(2));
        op2.signature = abi.encodePacked(address(zkLogin), _keySig(EPH_PK, entryPoint.getUserOpHash(op2)));
        _handle(op2);
        assertEq(target.counter(), 7);
    }

    function test_expiredKeyRefusedByEntryPoint() public {
        uint48 expiry = uint48(block.timestamp + 100);
        _handle(_signed(_op(address(account), "", _bumpCall(1)), true, expiry));
        vm.warp(block.timestamp + 101);
        PackedUserOperation memory op = _signed(_op(address(account), "", _bumpCall(1)), false, 0);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA22 expired or not due"));
        entryPoint.handleOps(ops, beneficiary);
    }

    function test_rotatedJwkSurfacesItsError() public {
        vm.prank(owner);
        registry.rotateKey(ISS, MODULUS, 0x4444);
        PackedUserOperation memory op =
            _signed(_op(address(account), "", _bumpCall(1)), true, uint48(block.timestamp + 60));
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(
            abi.encodeWithSelector(
                IEntryPoint.FailedOpWithRevert.selector,
                0,
                "AA23 reverted",
                abi.encodeWithSelector(JwkRegistry.RotatedJwk.selector, ISS, MODULUS, uint256(0x4444))
            )
        );
        entryPoint.handleOps(ops, beneficiary);
    }

    function test_batchedCallsThroughEntryPoint() public {
        Execution[] memory calls = new Execution[](3);
        calls[0] = Execution(address(target), 0, abi.encodeCall(Target.bump, (1)));
        calls[1] = Execution(address(target), 1 wei, abi.encodeCall(Target.bump, (10)));
        calls[2] = Execution(address(0xCAFE), 0.5 ether, "");
        bytes memory callData = abi.encodeCall(IERC7579Account.execute, (BATCH, abi.encode(calls)));
        _handle(_signed(_op(address(account), "", callData), true, uint48(block.timestamp + 60)));
        assertEq(target.counter(), 11);
        assertEq(target.lastValue(), 1);
        assertEq(address(0xCAFE).balance, 0.5 ether);
    }

    function test_wrongEphemeralSignatureFailsValidation() public {
        PackedUserOperation memory op = _op(address(account), "", _bumpCall(1));
        bytes32 hash = entryPoint.getUserOpHash(op);
        // Signed by another key than the one the proof binds.
        bytes memory sig = _proveSig(EPH_PK, hash, uint48(block.timestamp + 60));
        bytes memory other = _ecdsa(0xB0B, hash);
        for (uint256 i; i < 65; ++i) {
            sig[sig.length - 65 + i] = other[i];
        }
        op.signature = abi.encodePacked(address(zkLogin), sig);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, beneficiary);
    }

    // ----- validateUserOp ----------------------------------------------------------------------------------

    function test_validateUserOp_onlyEntryPoint() public {
        PackedUserOperation memory op = _op(address(account), "", "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.NotFromEntryPoint.selector, address(this)));
        account.validateUserOp(op, bytes32(0), 0);
    }

    function test_validateUserOp_shortSignature() public {
        PackedUserOperation memory op = _op(address(account), "", "");
        op.signature = hex"0102";
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.InvalidValidator.selector, address(0)));
        account.validateUserOp(op, bytes32(0), 0);
    }

    function test_validateUserOp_uninstalledValidator(address validator) public {
        vm.assume(validator != address(zkLogin));
        PackedUserOperation memory op = _op(address(account), "", "");
        op.signature = abi.encodePacked(validator, hex"02");
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.InvalidValidator.selector, validator));
        account.validateUserOp(op, bytes32(0), 0);
    }

    function test_validateUserOp_paysPrefund() public {
        PackedUserOperation memory op = _op(address(account), "", "");
        bytes32 hash = keccak256("op");
        op.signature = abi.encodePacked(address(zkLogin), _proveSig(EPH_PK, hash, uint48(block.timestamp + 60)));
        uint256 before = address(entryPoint).balance;
        vm.prank(address(entryPoint));
        uint256 data = account.validateUserOp(op, hash, 1234);
        assertEq(address(entryPoint).balance - before, 1234);
        assertEq(data, uint256(uint48(block.timestamp + 60)) << 160);
    }

    // ----- execution ---------------------------------------------------------------------------------------

    function test_execute_onlyEntryPointOrSelf(address caller) public {
        vm.assume(caller != address(entryPoint) && caller != address(account));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.NotFromEntryPointOrSelf.selector, caller));
        account.execute(SINGLE, abi.encodePacked(address(target), uint256(0), ""));
    }

    function test_execute_single(uint256 by, uint96 value) public {
        by = bound(by, 0, type(uint128).max);
        value = uint96(bound(value, 0, 10 ether));
        vm.prank(address(entryPoint));
        account.execute(SINGLE, abi.encodePacked(address(target), uint256(value), abi.encodeCall(Target.bump, (by))));
        assertEq(target.counter(), by);
        assertEq(target.lastValue(), value);
    }

    function test_execute_bubblesRevert() public {
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(Target.Boom.selector, uint256(7)));
        account.execute(SINGLE, abi.encodePacked(address(target), uint256(0), abi.encodeCall(Target.fail, (7))));
    }

    function test_execute_tryBatchContinues() public {
        Execution[] memory calls = new Execution[](2);
        calls[0] = Execution(address(target), 0, abi.encodeCall(Target.fail, (9)));
        calls[1] = Execution(address(target), 0, abi.encodeCall(Target.bump, (3)));
        vm.expectEmit(address(account));
        emit ZkSsoAccount.TryExecuteFailed(0, abi.encodeWithSelector(Target.Boom.selector, uint256(9)));
        vm.prank(address(entryPoint));
        account.execute(TRY_BATCH, abi.encode(calls));
        assertEq(target.counter(), 3);
    }

    function test_execute_delegatecallRefused() public {
        bytes32 mode = bytes32(bytes1(0xff));
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.UnsupportedExecutionMode.selector, mode));
        account.execute(mode, abi.encodePacked(address(target), ""));
    }

    function test_execute_unknownExecTypeRefused() public {
        bytes32 mode = bytes32(bytes2(0x0002));
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.UnsupportedExecutionMode.selector, mode));
        account.execute(mode, abi.encodePacked(address(target), uint256(0), ""));
    }

    function test_execute_shortSingleRefused() public {
        vm.prank(address(entryPoint));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        account.execute(SINGLE, hex"00112233");
    }

    // ----- modules -----------------------------------------------------------------------------------------

    function test_executorModule() public {
        MockExecutor executor = new MockExecutor();
        vm.prank(address(entryPoint));
        account.installModule(2, address(executor), "");
        assertTrue(account.isModuleInstalled(2, address(executor), ""));
        executor.run(
            address(account), SINGLE, abi.encodePacked(address(target), uint256(0), abi.encodeCall(Target.bump, (4)))
        );
        assertEq(target.counter(), 4);
        vm.prank(address(entryPoint));
        account.uninstallModule(2, address(executor), "");
        assertFalse(account.isModuleInstalled(2, address(executor), ""));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.NotAnInstalledExecutor.selector, address(executor)));
        executor.run(address(account), SINGLE, abi.encodePacked(address(target), uint256(0), ""));
    }

    function test_installModule_emitsEvent() public {
        MockExecutor executor = new MockExecutor();
        vm.expectEmit(address(account));
        emit IERC7579Account.ModuleInstalled(2, address(executor));
        vm.prank(address(entryPoint));
        account.installModule(2, address(executor), "");
    }

    function test_installModule_unsupportedType(uint256 typeId) public {
        vm.assume(typeId != 1 && typeId != 2);
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.UnsupportedModuleType.selector, typeId));
        account.installModule(typeId, address(zkLogin), "");
    }

    function test_installModule_mismatchedType() public {
        vm.startPrank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.MismatchedModuleType.selector, 2, address(zkLogin)));
        account.installModule(2, address(zkLogin), "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.MismatchedModuleType.selector, 1, address(0x1234)));
        account.installModule(1, address(0x1234), "");
        vm.stopPrank();
    }

    function test_installModule_alreadyInstalled() public {
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.ModuleAlreadyInstalled.selector, 1, address(zkLogin)));
        account.installModule(1, address(zkLogin), abi.encode(ISS, IDC));
    }

    function test_installModule_executorAlreadyInstalled() public {
        MockExecutor executor = new MockExecutor();
        vm.startPrank(address(entryPoint));
        account.installModule(2, address(executor), "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.ModuleAlreadyInstalled.selector, 2, address(executor)));
        account.installModule(2, address(executor), "");
        vm.stopPrank();
    }

    function test_installModule_onlyEntryPointOrSelf() public {
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.NotFromEntryPointOrSelf.selector, address(this)));
        account.installModule(1, address(zkLogin), "");
    }

    function test_uninstallModule_errors() public {
        vm.startPrank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.CannotRemoveLastValidator.selector, address(zkLogin)));
        account.uninstallModule(1, address(zkLogin), "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.ModuleNotInstalled.selector, 1, address(0x99)));
        account.uninstallModule(1, address(0x99), "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.ModuleNotInstalled.selector, 2, address(0x99)));
        account.uninstallModule(2, address(0x99), "");
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.UnsupportedModuleType.selector, 3));
        account.uninstallModule(3, address(0x99), "");
        vm.stopPrank();
    }

    function test_initialize_onlyOnce() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        account.initialize(address(zkLogin), abi.encode(ISS, IDC));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(address(zkLogin), abi.encode(ISS, IDC));
    }

    function test_configViews() public view {
        assertTrue(account.supportsModule(1));
        assertTrue(account.supportsModule(2));
        assertFalse(account.supportsModule(3));
        assertTrue(account.supportsExecutionMode(SINGLE));
        assertTrue(account.supportsExecutionMode(TRY_BATCH));
        assertFalse(account.supportsExecutionMode(bytes32(bytes1(0xff))));
        assertEq(account.accountId(), "zksso.account.1.0.0");
        assertTrue(account.supportsInterface(type(IERC1271).interfaceId));
        assertFalse(account.supportsInterface(0xdeadbeef));
        assertEq(address(account.entryPoint()), address(entryPoint));
    }

    // ----- upgrades ----------------------------------------------------------------------------------------

    function test_upgrade_onlySelf() public {
        ZkSsoAccount next = new ZkSsoAccount(IEntryPoint(address(entryPoint)));
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(ZkSsoAccount.UpgradeNotFromSelf.selector, address(entryPoint)));
        account.upgradeToAndCall(address(next), "");

        vm.prank(address(entryPoint));
        account.execute(
            SINGLE,
            abi.encodePacked(
                address(account), uint256(0), abi.encodeCall(account.upgradeToAndCall, (address(next), ""))
            )
        );
        bytes32 slot = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
        assertEq(vm.load(address(account), slot), bytes32(uint256(uint160(address(next)))));
        // Module state survives the upgrade (ERC-7201 namespace).
        assertTrue(account.isModuleInstalled(1, address(zkLogin), ""));
    }

    // ----- ERC-1271 / ERC-7739 -----------------------------------------------------------------------------

    function _register(ZkSsoAccount acct) internal {
        bytes32 hash = keccak256("register");
        PackedUserOperation memory op;
        op.signature = _proveSig(EPH_PK, hash, uint48(block.timestamp + 1 days));
        vm.prank(address(acct));
        zkLogin.validateUserOp(op, hash);
    }

    function _domainSeparator(address acct) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ZkSsoAccount"),
                keccak256("1"),
                block.chainid,
                acct
            )
        );
    }

    function test_erc1271_personalSignNested() public {
        _register(account);
        ZkSsoAccount other = ZkSsoAccount(payable(factory.createOpenIdAccount(ISS, 0x5555)));
        _register(other);

        bytes32 message = keccak256("hello");
        bytes32 nested = MessageHashUtils.toTypedDataHash(
            _domainSeparator(address(account)), ERC7739Utils.personalSignStructHash(message)
        );
        bytes memory sig = abi.encodePacked(address(zkLogin), _keySig(EPH_PK, nested));
        assertEq(account.isValidSignature(message, sig), bytes4(0x1626ba7e));
        // The same signature is bound to `account`'s domain: refused by another account of the same key.
        assertEq(other.isValidSignature(message, sig), bytes4(0xffffffff));
        // A raw signature over the message (no nesting) is refused.
        assertEq(
            account.isValidSignature(message, abi.encodePacked(address(zkLogin), _keySig(EPH_PK, message))),
            bytes4(0xffffffff)
        );
    }

    function test_erc1271_typedDataNested() public {
        _register(account);
        bytes32 appSeparator = keccak256("app domain");
        bytes32 contentsHash = keccak256("contents");
        string memory descr = "Mail(address to)";
        bytes32 hash = MessageHashUtils.toTypedDataHash(appSeparator, contentsHash);
        bytes memory domainBytes =
            abi.encode(keccak256("ZkSsoAccount"), keccak256("1"), block.chainid, address(account), bytes32(0));
        bytes32 nested = MessageHashUtils.toTypedDataHash(
            appSeparator,
            keccak256(
                abi.encodePacked(
                    keccak256(
                        "TypedDataSign(Mail contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)Mail(address to)"
                    ),
                    contentsHash,
                    domainBytes
                )
            )
        );
        bytes memory inner = _keySig(EPH_PK, nested);
        bytes memory sig = abi.encodePacked(
            address(zkLogin), ERC7739Utils.encodeTypedDataSig(inner, appSeparator, contentsHash, descr)
        );
        assertEq(account.isValidSignature(hash, sig), bytes4(0x1626ba7e));
        assertEq(account.isValidSignature(keccak256("other"), sig), bytes4(0xffffffff));
    }

    function test_erc1271_detectionAndGarbage() public view {
        assertEq(
            account.isValidSignature(0x7739773977397739773977397739773977397739773977397739773977397739, ""),
            bytes4(0x77390001)
        );
        assertEq(account.isValidSignature(bytes32(0), ""), bytes4(0xffffffff));
        assertEq(account.isValidSignature(bytes32(0), hex"01"), bytes4(0xffffffff));
        assertEq(account.isValidSignature(bytes32(0), abi.encodePacked(address(0x77), hex"02")), bytes4(0xffffffff));
        assertEq(account.isValidSignature(bytes32(0), abi.encodePacked(address(zkLogin), hex"02")), bytes4(0xffffffff));
    }

    function test_receivesEthAndTokens() public {
        (bool ok,) = address(account).call{value: 1}("");
        assertTrue(ok);
        assertEq(account.onERC721Received(address(0), address(0), 0, ""), bytes4(0x150b7a02));
        assertEq(account.onERC1155Received(address(0), address(0), 0, 0, ""), bytes4(0xf23a6e61));
        assertEq(
            account.onERC1155BatchReceived(address(0), address(0), new uint256[](0), new uint256[](0), ""),
            bytes4(0xbc197c81)
        );
    }
}
