// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {VerifyingPaymaster} from "../../src/paymaster/VerifyingPaymaster.sol";
import {Test} from "./utils/Test.sol";

/// @notice An account that accepts every operation and records the calls it executes.
contract PaymasterTestAccount is IAccount {
    uint256 public pings;

    function validateUserOp(PackedUserOperation calldata, bytes32, uint256) external pure returns (uint256) {
        return 0;
    }

    function ping() external {
        pings += 1;
    }
}

contract PaymasterVerifyingTest is Test {
    event SignerSet(address indexed signer, bool allowed);

    EntryPoint internal entryPoint;
    VerifyingPaymaster internal paymaster;
    PaymasterTestAccount internal account;

    uint256 internal constant SIGNER_KEY = 0xA11CE;
    uint256 internal constant OTHER_KEY = 0xB0B;
    address internal signer;
    address internal owner = address(0x0123);

    function setUp() public {
        vm.warp(1_700_000_000);
        entryPoint = new EntryPoint();
        signer = vm.addr(SIGNER_KEY);
        paymaster = new VerifyingPaymaster(IEntryPoint(address(entryPoint)), owner, signer);
        account = new PaymasterTestAccount();
    }

    // ---------------------------------------------------------------- helpers

    function _op() internal view returns (PackedUserOperation memory op) {
        op.sender = address(account);
        op.nonce = 0;
        op.callData = abi.encodeCall(PaymasterTestAccount.ping, ());
        op.accountGasLimits = bytes32(uint256(200_000) << 128 | uint256(100_000));
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32(uint256(1 gwei) << 128 | uint256(2 gwei));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(100_000), uint128(0));
    }

    /// @dev Appends validity window and a signature by `key` (what the sponsor service does).
    function _sponsor(PackedUserOperation memory op, uint256 key, uint48 validUntil, uint48 validAfter)
        internal
        view
        returns (PackedUserOperation memory)
    {
        op.paymasterAndData = abi.encodePacked(op.paymasterAndData, abi.encode(validUntil, validAfter), new bytes(65));
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(paymaster.getHash(op, validUntil, validAfter));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        bytes memory head = new bytes(116);
        for (uint256 i = 0; i < 116; i++) {
            head[i] = op.paymasterAndData[i];
        }
        op.paymasterAndData = abi.encodePacked(head, r, s, v);
        return op;
    }

    function _validate(PackedUserOperation memory op) internal returns (bytes memory context, uint256 data) {
        vm.prank(address(entryPoint));
        return paymaster.validatePaymasterUserOp(op, bytes32(0), 1 ether);
    }

    function _packed(bool failed, uint48 validUntil, uint48 validAfter) internal pure returns (uint256) {
        return (failed ? 1 : 0) | (uint256(validUntil) << 160) | (uint256(validAfter) << 208);
    }

    // ---------------------------------------------------------------- configuration

    function test_constructor_setsOwnerAndSigner() public view {
        assertEq(paymaster.owner(), owner);
        assertTrue(paymaster.isSigner(signer));
        assertEq(address(paymaster.entryPoint()), address(entryPoint));
    }

    function test_constructor_zeroSigner_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(VerifyingPaymaster.InvalidSigner.selector, address(0)));
        new VerifyingPaymaster(IEntryPoint(address(entryPoint)), owner, address(0));
    }

    function test_setSigner_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        paymaster.setSigner(address(0x55), true);
        vm.expectRevert(abi.encodeWithSelector(VerifyingPaymaster.InvalidSigner.selector, address(0)));
        vm.prank(owner);
        paymaster.setSigner(address(0), true);
    }

    function test_rotation_newSignerHonoured_oldRefused() public {
        address next = vm.addr(OTHER_KEY);
        vm.startPrank(owner);
        vm.expectEmit(address(paymaster));
        emit SignerSet(next, true);
        paymaster.setSigner(next, true);
        paymaster.setSigner(signer, false);
        vm.stopPrank();
        (, uint256 data) = _validate(_sponsor(_op(), OTHER_KEY, 0, 0));
        assertEq(data, 0);
        (, data) = _validate(_sponsor(_op(), SIGNER_KEY, 0, 0));
        assertEq(data, 1);
    }

    function test_depositAndWithdraw() public {
        vm.deal(address(this), 1 ether);
        paymaster.deposit{value: 1 ether}();
        assertEq(paymaster.getDeposit(), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        paymaster.withdrawTo(payable(address(this)), 1);
        vm.prank(owner);
        paymaster.withdrawTo(payable(address(0x777)), 0.4 ether);
        assertEq(paymaster.getDeposit(), 0.6 ether);
        assertEq(address(0x777).balance, 0.4 ether);
    }

    // ---------------------------------------------------------------- validation

    function test_validate_approved() public {
        (bytes memory context, uint256 data) = _validate(_sponsor(_op(), SIGNER_KEY, 1_700_003_600, 1_699_999_000));
        assertEq(context.length, 0);
        assertEq(data, _packed(false, 1_700_003_600, 1_699_999_000));
    }

    function test_validate_unknownSigner_fails() public {
        (, uint256 data) = _validate(_sponsor(_op(), OTHER_KEY, 1_700_003_600, 0));
        assertEq(data, _packed(true, 1_700_003_600, 0));
    }

    function test_validate_onlyEntryPoint() public {
        PackedUserOperation memory op = _sponsor(_op(), SIGNER_KEY, 0, 0);
        vm.expectRevert(bytes("Sender not EntryPoint"));
        paymaster.validatePaymasterUserOp(op, bytes32(0), 1 ether);
    }

    function test_validate_malformed_reverts() public {
        PackedUserOperation memory op = _sponsor(_op(), SIGNER_KEY, 0, 0);
        bytes memory full = op.paymasterAndData;
        op.paymasterAndData = abi.encodePacked(full, uint8(0)); // 182 bytes
        vm.expectRevert(abi.encodeWithSelector(VerifyingPaymaster.InvalidPaymasterData.selector, 182));
        _validate(op);
        op = _op(); // 52 bytes: no window, no signature
        vm.expectRevert(abi.encodeWithSelector(VerifyingPaymaster.InvalidPaymasterData.selector, 52));
        _validate(op);
    }

    function test_validate_windowIsSigned() public {
        PackedUserOperation memory op = _sponsor(_op(), SIGNER_KEY, 1_700_003_600, 0);
        // Extend validUntil without a new signature.
        bytes memory pad = op.paymasterAndData;
        pad[52 + 31] = bytes1(uint8(pad[52 + 31]) + 1);
        op.paymasterAndData = pad;
        (, uint256 data) = _validate(op);
        assertEq(data & 1, 1);
    }

    function test_validate_otherChainOrPaymaster_fails() public {
        PackedUserOperation memory op = _sponsor(_op(), SIGNER_KEY, 0, 0);
        // The same approval presented to another paymaster with the same signer.
        VerifyingPaymaster twin = new VerifyingPaymaster(IEntryPoint(address(entryPoint)), owner, signer);
        op.paymasterAndData = abi.encodePacked(address(twin), _slice(op.paymasterAndData, 20));
        vm.prank(address(entryPoint));
        (, uint256 data) = twin.validatePaymasterUserOp(op, bytes32(0), 1 ether);
        assertEq(data, 1);
        // The original approval on another chain.
        op = _sponsor(_op(), SIGNER_KEY, 0, 0);
        vm.chainId(4242);
        (, data) = _validate(op);
        assertEq(data, 1);
    }

    function _slice(bytes memory data, uint256 from) internal pure returns (bytes memory out) {
        out = new bytes(data.length - from);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = data[from + i];
        }
    }

    /// @dev Changing any signed field of the operation voids the approval.
    function testFuzz_validate_tamperedField_fails(uint8 field, uint256 noise) public {
        PackedUserOperation memory op = _sponsor(_op(), SIGNER_KEY, 0, 0);
        noise = bound(noise, 1, type(uint128).max);
        field = uint8(bound(field, 0, 8));
        if (field == 0) {
            op.sender = address(uint160(op.sender) ^ uint160(noise));
        } else if (field == 1) {
            op.nonce ^= noise;
        } else if (field == 2) {
            op.initCode = abi.encodePacked(noise);
        } else if (field == 3) {
            op.callData = abi.encodePacked(op.callData, noise);
        } else if (field == 4) {
            op.accountGasLimits ^= bytes32(noise);
        } else if (field == 5) {
            op.preVerificationGas ^= noise;
        } else if (field == 6) {
            op.gasFees ^= bytes32(noise);
        } else if (field == 7) {
            bytes memory pad = op.paymasterAndData; // paymaster verification gas limit
            pad[35] = bytes1(uint8(pad[35]) ^ uint8(bound(noise, 1, 255)));
            op.paymasterAndData = pad;
        } else {
            bytes memory pad = op.paymasterAndData; // post-op gas limit
            pad[51] = bytes1(uint8(pad[51]) ^ uint8(bound(noise, 1, 255)));
            op.paymasterAndData = pad;
        }
        (, uint256 data) = _validate(op);
        assertEq(data & 1, 1);
    }

    // ---------------------------------------------------------------- through the EntryPoint

    function test_handleOps_sponsoredOperationRunsAndPaymasterPays() public {
        vm.deal(address(this), 1 ether);
        paymaster.deposit{value: 1 ether}();
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = _sponsor(_op(), SIGNER_KEY, uint48(block.timestamp + 600), 0);
        address payable beneficiary = payable(address(0xBE7E));
        vm.prank(address(0x1111), address(0x1111)); // an EOA bundler
        entryPoint.handleOps(ops, beneficiary);
        assertEq(account.pings(), 1);
        assertLt(paymaster.getDeposit(), 1 ether);
        assertEq(beneficiary.balance, 1 ether - paymaster.getDeposit());
        assertEq(address(account).balance, 0);
    }

    function test_handleOps_unsponsored_reverts() public {
        vm.deal(address(this), 1 ether);
        paymaster.deposit{value: 1 ether}();
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = _sponsor(_op(), OTHER_KEY, 0, 0);
        vm.prank(address(0x1111), address(0x1111));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA34 signature error"));
        entryPoint.handleOps(ops, payable(address(0xBE7E)));
        assertEq(account.pings(), 0);
    }
}
