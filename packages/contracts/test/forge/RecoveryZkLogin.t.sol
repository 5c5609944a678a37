// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {ZkSsoAccount} from "../../src/account/ZkSsoAccount.sol";
import {ZkSsoAccountFactory} from "../../src/factory/ZkSsoAccountFactory.sol";
import {WebAuthnValidator} from "../../src/validators/WebAuthnValidator.sol";
import {RecoveryModule} from "../../src/modules/RecoveryModule.sol";
import {IERC7579Account, MODULE_TYPE_VALIDATOR, MODULE_TYPE_EXECUTOR} from "../../src/interfaces/IERC7579.sol";
import {ZkSsoBase} from "./base/ZkSsoBase.sol";

/// @notice Recovery of a passkey account by an OpenID identity with the real modules: the passkey account
///         registers ZkLoginValidator with `abi.encode(issHash, idc)` as its dormant recovery credential; after the
///         delay it is installed, and a zkLogin user operation (mode 0x01, mock Groth16 verifier) then runs on the
///         passkey account.
contract RecoveryZkLoginTest is ZkSsoBase {
    WebAuthnValidator internal webauthn;
    RecoveryModule internal recovery;
    ZkSsoAccount internal account;
    uint256 internal constant PASSKEY = 0x77e5;

    function setUp() public override {
        super.setUp();
        webauthn = new WebAuthnValidator();
        recovery = new RecoveryModule();
        ZkSsoAccountFactory passkeyFactory =
            new ZkSsoAccountFactory(address(implementation), address(zkLogin), address(webauthn));
        (uint256 x, uint256 y) = vm.publicKeyP256(PASSKEY);
        account = ZkSsoAccount(
            payable(passkeyFactory.createPasskeyAccount(
                    hex"01", x, y, "https://wallet.zksso.test", sha256("wallet.zksso.test")
                ))
        );
        vm.deal(address(account), 1 ether);
        // What the passkey's user operations would do (account self-calls), done here as the EntryPoint.
        vm.prank(address(entryPoint));
        account.installModule(MODULE_TYPE_EXECUTOR, address(recovery), abi.encode(uint48(3 days)));
        vm.prank(address(account));
        recovery.addRecoveryCredential(address(zkLogin), abi.encode(ISS, IDC));
    }

    function test_openIdIdentityRecoversPasskeyAccount() public {
        bytes memory data = abi.encode(ISS, IDC);
        uint48 readyAt = recovery.initiateRecovery(address(account), address(zkLogin), data);
        assertEq(readyAt, block.timestamp + 3 days);

        // Before the delay, the identity cannot act on the account: its validator is not installed.
        uint48 expiry = uint48(block.timestamp + 30 days);
        PackedUserOperation memory op = _op(
            address(account),
            "",
            abi.encodeCall(
                IERC7579Account.execute, (bytes32(0), abi.encodePacked(address(0xdead), uint256(1), bytes("")))
            )
        );
        op.signature = abi.encodePacked(address(zkLogin), _proveSig(EPH_PK, entryPoint.getUserOpHash(op), expiry));
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(beneficiary, beneficiary);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEntryPoint.FailedOpWithRevert.selector,
                0,
                "AA23 reverted",
                abi.encodeWithSelector(ZkSsoAccount.InvalidValidator.selector, address(zkLogin))
            )
        );
        entryPoint.handleOps(ops, beneficiary);

        vm.warp(readyAt);
        recovery.executeRecovery(address(account), address(zkLogin), data);
        assertTrue(account.isModuleInstalled(MODULE_TYPE_VALIDATOR, address(zkLogin), ""));

        // Now a zkLogin proof for (ISS, IDC) controls the passkey account.
        expiry = uint48(block.timestamp + 30 days);
        op = _op(
            address(account),
            "",
            abi.encodeCall(
                IERC7579Account.execute, (bytes32(0), abi.encodePacked(address(0xdead), uint256(1), bytes("")))
            )
        );
        op.signature = abi.encodePacked(address(zkLogin), _proveSig(EPH_PK, entryPoint.getUserOpHash(op), expiry));
        _handle(op);
        assertEq(address(0xdead).balance, 1);
    }

    function test_wrongIdentityStillRefusedAfterRecovery() public {
        bytes memory data = abi.encode(ISS, IDC);
        vm.warp(recovery.initiateRecovery(address(account), address(zkLogin), data));
        recovery.executeRecovery(address(account), address(zkLogin), data);
        // A proof for another identity commitment does not match the installed (ISS, IDC).
        uint48 expiry = uint48(block.timestamp + 30 days);
        PackedUserOperation memory op = _op(
            address(account),
            "",
            abi.encodeCall(
                IERC7579Account.execute, (bytes32(0), abi.encodePacked(address(0xdead), uint256(1), bytes("")))
            )
        );
        bytes32 hash = entryPoint.getUserOpHash(op);
        op.signature = abi.encodePacked(
            address(zkLogin),
            _proveSig(EPH_PK, hash, expiry, MODULUS, _proof(ISS, IDC + 1, _keyId(vm.addr(EPH_PK)), expiry, MODULUS))
        );
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(beneficiary, beneficiary);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, beneficiary);
        assertEq(address(0xdead).balance, 0);
    }
}
