// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ERC7739Utils} from "@openzeppelin/contracts/utils/cryptography/draft-ERC7739Utils.sol";
import {ZkSsoAccount} from "../../src/account/ZkSsoAccount.sol";
import {ZkSsoAccountFactory} from "../../src/factory/ZkSsoAccountFactory.sol";
import {WebAuthnValidator} from "../../src/validators/WebAuthnValidator.sol";
import {RecoveryModule} from "../../src/modules/RecoveryModule.sol";
import {
    Execution,
    IERC7579Account,
    IValidator,
    MODULE_TYPE_VALIDATOR,
    MODULE_TYPE_EXECUTOR
} from "../../src/interfaces/IERC7579.sol";
import {WebAuthnSigner} from "./WebAuthnSigner.t.sol";

contract WebAuthnPingTarget {
    uint256 public pings;

    function ping() external {
        pings += 1;
    }
}

/// @notice A validator that accepts every signature: stands in for a recovery credential (e.g. ZkLoginValidator)
///         so that these tests exercise the recovery path through the real account.
contract WebAuthnAcceptAllValidator is IValidator {
    mapping(address => bool) public isInitialized;

    function onInstall(bytes calldata) external {
        isInitialized[msg.sender] = true;
    }

    function onUninstall(bytes calldata) external {
        isInitialized[msg.sender] = false;
    }

    function isModuleType(uint256 t) external pure returns (bool) {
        return t == MODULE_TYPE_VALIDATOR;
    }

    function validateUserOp(PackedUserOperation calldata, bytes32) external pure returns (uint256) {
        return 0;
    }

    function isValidSignatureWithSender(address, bytes32, bytes calldata) external pure returns (bytes4) {
        return 0x1626ba7e;
    }
}

/// @notice Passkey accounts end to end: factory deployment through initCode, passkey user operations through the
///         EntryPoint (with the P-256 precompile and with the Solidity fallback), ERC-1271 with the account's
///         ERC-7739 wrapping, and recovery through the real account.
contract WebAuthnAccountTest is WebAuthnSigner {
    event log_named_uint(string key, uint256 val);

    EntryPoint internal entryPoint;
    WebAuthnValidator internal webauthn;
    ZkSsoAccountFactory internal factory;
    WebAuthnPingTarget internal target;
    address internal account;
    address payable internal beneficiary = payable(address(0xBEEF));

    uint256 internal constant KEY = 0x9a55c0de;
    bytes internal constant CRED = hex"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    string internal constant ORIGIN = "https://wallet.zksso.test";
    bytes32 internal rpIdHash = sha256("wallet.zksso.test");
    uint256 internal x;
    uint256 internal y;

    function setUp() public {
        vm.warp(1_700_000_000);
        entryPoint = new EntryPoint();
        webauthn = new WebAuthnValidator();
        ZkSsoAccount implementation = new ZkSsoAccount(IEntryPoint(address(entryPoint)));
        factory = new ZkSsoAccountFactory(address(implementation), address(0xDEAD), address(webauthn));
        target = new WebAuthnPingTarget();
        (x, y) = vm.publicKeyP256(KEY);
        account = factory.getPasskeyAccountAddress(CRED, x, y);
        vm.deal(account, 1 ether);
    }

    // ---------------------------------------------------------------- helpers

    function _op(uint256 nonce, bytes memory initCode, bytes memory callData)
        internal
        view
        returns (PackedUserOperation memory op)
    {
        op.sender = account;
        op.nonce = nonce;
        op.initCode = initCode;
        op.callData = callData;
        op.accountGasLimits = bytes32(uint256(1_500_000) << 128 | uint256(200_000));
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32(uint256(1 gwei) << 128 | uint256(1 gwei));
    }

    function _initCode() internal view returns (bytes memory) {
        return abi.encodePacked(
            address(factory), abi.encodeCall(ZkSsoAccountFactory.createPasskeyAccount, (CRED, x, y, ORIGIN, rpIdHash))
        );
    }

    function _execute(address to, bytes memory data) internal pure returns (bytes memory) {
        return abi.encodeCall(IERC7579Account.execute, (bytes32(0), abi.encodePacked(to, uint256(0), data)));
    }

    function _pingCall() internal view returns (bytes memory) {
        return _execute(address(target), abi.encodeCall(WebAuthnPingTarget.ping, ()));
    }

    function _signWithPasskey(PackedUserOperation memory op, uint256 key) internal view {
        bytes32 hash = entryPoint.getUserOpHash(op);
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, ORIGIN), key);
        op.signature = abi.encodePacked(address(webauthn), encodeAssertion(a));
    }

    /// @dev Runs one operation; returns the gas handleOps used inside this call.
    function _handle(PackedUserOperation memory op) internal returns (uint256 used) {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(address(0x1111), address(0x1111));
        uint256 before = gasleft();
        entryPoint.handleOps(ops, beneficiary);
        used = before - gasleft();
    }

    // ---------------------------------------------------------------- user operations

    function _deployAndPingTwice() internal returns (uint256 first, uint256 second) {
        PackedUserOperation memory op = _op(0, _initCode(), _pingCall());
        _signWithPasskey(op, KEY);
        first = _handle(op);
        assertGt(account.code.length, 0);
        assertEq(target.pings(), 1);

        op = _op(1, "", _pingCall());
        _signWithPasskey(op, KEY);
        second = _handle(op);
        assertEq(target.pings(), 2);
    }

    function test_passkeyAccount_deploysAndExecutes_withPrecompile() public {
        (uint256 first, uint256 second) = _deployAndPingTwice();
        emit log_named_uint("handleOps gas, passkey op with deployment, precompile", first);
        emit log_named_uint("handleOps gas, passkey op, precompile", second);
        assertTrue(webauthn.isInitialized(account));
        assertEq(webauthn.accountsOf(keccak256(CRED))[0], account);
    }

    function test_passkeyAccount_deploysAndExecutes_withFallback() public {
        vm.mockCall(address(0x100), "", ""); // a chain without the P-256 precompile
        (uint256 first, uint256 second) = _deployAndPingTwice();
        emit log_named_uint("handleOps gas, passkey op with deployment, Solidity fallback", first);
        emit log_named_uint("handleOps gas, passkey op, Solidity fallback", second);
    }

    function test_passkeyAccount_wrongKey_rejectedByEntryPoint() public {
        PackedUserOperation memory op = _op(0, _initCode(), _pingCall());
        _signWithPasskey(op, KEY + 1);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(address(0x1111), address(0x1111));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, beneficiary);
        assertEq(target.pings(), 0);
    }

    function test_passkeyAccount_erc1271_personalSignWrapped() public {
        factory.createPasskeyAccount(CRED, x, y, ORIGIN, rpIdHash);
        bytes32 message = keccak256("hello");
        // The account wraps the hash (ERC-7739 PersonalSign under its EIP-712 domain) before asking the validator.
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ZkSsoAccount"),
                keccak256("1"),
                block.chainid,
                account
            )
        );
        bytes32 wrapped = MessageHashUtils.toTypedDataHash(domain, ERC7739Utils.personalSignStructHash(message));
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED), wrapped, rpIdHash, ORIGIN), KEY);
        bytes memory sig = abi.encodePacked(address(webauthn), encodeAssertion(a));
        assertEq(ZkSsoAccount(payable(account)).isValidSignature(message, sig), bytes4(0x1626ba7e));
        assertEq(ZkSsoAccount(payable(account)).isValidSignature(keccak256("other"), sig), bytes4(0xffffffff));
    }

    // ---------------------------------------------------------------- recovery through the real account

    function test_recovery_throughAccount_passkeyCancelsThenRecoveryInstalls() public {
        RecoveryModule recovery = new RecoveryModule();
        WebAuthnAcceptAllValidator recoveryValidator = new WebAuthnAcceptAllValidator();
        bytes memory recoveryData = abi.encode(uint256(0x1111), uint256(0x2222)); // e.g. (issHash, idc)

        // Op 0 (deploys): the passkey installs the RecoveryModule (a self-call to installModule) and registers the
        // dormant credential, in one batch.
        bytes memory batch = abi.encodeCall(
            IERC7579Account.execute,
            (
                bytes32(uint256(1) << 248), // batch
                abi.encode(
                    _twoCalls(
                        account,
                        abi.encodeCall(IERC7579Account.installModule, (MODULE_TYPE_EXECUTOR, address(recovery), "")),
                        address(recovery),
                        abi.encodeCall(RecoveryModule.addRecoveryCredential, (address(recoveryValidator), recoveryData))
                    )
                )
            )
        );
        PackedUserOperation memory op = _op(0, _initCode(), batch);
        _signWithPasskey(op, KEY);
        _handle(op);
        bytes32 id = recovery.recoveryIdOf(address(recoveryValidator), recoveryData);
        assertTrue(recovery.getRecovery(account, id).registered);

        // Someone initiates; the passkey holder notices and cancels with a user operation.
        recovery.initiateRecovery(account, address(recoveryValidator), recoveryData);
        op = _op(1, "", _execute(address(recovery), abi.encodeCall(RecoveryModule.cancelRecovery, (id))));
        _signWithPasskey(op, KEY);
        _handle(op);
        assertEq(recovery.getRecovery(account, id).readyAt, 0);

        // The passkey is lost; recovery is initiated again and nobody cancels.
        recovery.initiateRecovery(account, address(recoveryValidator), recoveryData);
        vm.warp(block.timestamp + 2 days);
        recovery.executeRecovery(account, address(recoveryValidator), recoveryData);
        assertTrue(IERC7579Account(account).isModuleInstalled(MODULE_TYPE_VALIDATOR, address(recoveryValidator), ""));

        // The recovered credential now authorises operations on the account.
        op = _op(2, "", _pingCall());
        op.signature = abi.encodePacked(address(recoveryValidator), hex"00");
        _handle(op);
        assertEq(target.pings(), 1);
    }

    function _twoCalls(address t1, bytes memory d1, address t2, bytes memory d2)
        internal
        pure
        returns (Execution[] memory c)
    {
        c = new Execution[](2);
        c[0] = Execution(t1, 0, d1);
        c[1] = Execution(t2, 0, d2);
    }
}
