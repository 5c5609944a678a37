// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {ZkSsoBase} from "./base/ZkSsoBase.sol";
import {ZkLoginValidator} from "../../src/validators/ZkLoginValidator.sol";
import {JwkRegistry} from "../../src/registry/JwkRegistry.sol";
import {IModule} from "../../src/interfaces/IERC7579.sol";
import {IGroth16Verifier} from "../../src/interfaces/IGroth16Verifier.sol";
import {MockGroth16Verifier} from "../mocks/MockGroth16Verifier.sol";

/// @notice ZkLoginValidator called directly with this test contract acting as the account.
contract ZkLoginValidatorTest is ZkSsoBase {
    bytes32 internal constant HASH = keccak256("user op");

    function setUp() public override {
        super.setUp();
        zkLogin.onInstall(abi.encode(ISS, IDC));
    }

    function _validate(bytes memory sig, bytes32 hash) internal returns (uint256) {
        PackedUserOperation memory op;
        op.signature = sig;
        return zkLogin.validateUserOp(op, hash);
    }

    function test_install_storesIdentity() public view {
        (uint256 iss, uint256 idc) = zkLogin.identityOf(address(this));
        assertEq(iss, ISS);
        assertEq(idc, IDC);
        assertTrue(zkLogin.isInitialized(address(this)));
        assertTrue(zkLogin.isModuleType(1));
        assertFalse(zkLogin.isModuleType(2));
    }

    function test_install_twiceReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.AlreadyInitialized.selector, address(this)));
        zkLogin.onInstall(abi.encode(ISS, IDC));
    }

    function test_install_zeroIdentityReverts() public {
        vm.prank(address(0x1));
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidIdentity.selector, 0, IDC));
        zkLogin.onInstall(abi.encode(0, IDC));
    }

    function test_uninstall_notInitializedReverts() public {
        vm.prank(address(0x1));
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0x1)));
        zkLogin.onUninstall("");
    }

    function test_prove_returnsExpiryAndRegisters(uint48 expiry) public {
        expiry = uint48(bound(expiry, 1, type(uint48).max));
        uint256 data = _validate(_proveSig(EPH_PK, HASH, expiry), HASH);
        assertEq(data, uint256(expiry) << 160);
        (uint48 stored,) = zkLogin.keyOf(address(this), _keyId(vm.addr(EPH_PK)));
        assertEq(uint256(stored), uint256(expiry));
        // Mode 0x02 now works with the key alone and carries the same validUntil.
        assertEq(_validate(_keySig(EPH_PK, HASH), HASH), uint256(expiry) << 160);
    }

    function test_prove_publicInputsBoundToAccountIdentity() public {
        uint48 expiry = uint48(block.timestamp + 60);
        bytes32 keyId = _keyId(vm.addr(EPH_PK));
        // A proof for another idc, another issuer, another key or another expiry fails.
        assertEq(
            _validate(_proveSig(EPH_PK, HASH, expiry, MODULUS, _proof(ISS, IDC + 1, keyId, expiry, MODULUS)), HASH), 1
        );
        assertEq(
            _validate(_proveSig(EPH_PK, HASH, expiry, MODULUS, _proof(ISS + 1, IDC, keyId, expiry, MODULUS)), HASH), 1
        );
        assertEq(
            _validate(
                _proveSig(EPH_PK, HASH, expiry, MODULUS, _proof(ISS, IDC, _keyId(address(1)), expiry, MODULUS)), HASH
            ),
            1
        );
        assertEq(
            _validate(_proveSig(EPH_PK, HASH, expiry, MODULUS, _proof(ISS, IDC, keyId, expiry + 1, MODULUS)), HASH), 1
        );
        // A failed proof registers nothing.
        (uint48 stored,) = zkLogin.keyOf(address(this), keyId);
        assertEq(uint256(stored), 0);
    }

    function test_prove_wrongEphemeralSignatureFails() public {
        assertEq(_validate(_proveSig(EPH_PK, keccak256("other"), uint48(block.timestamp + 60)), HASH), 1);
    }

    function test_prove_p256Key() public {
        uint256 pk = 0xC0FFEE;
        (uint256 x, uint256 y) = vm.publicKeyP256(pk);
        bytes32 keyId = keccak256(abi.encodePacked(uint8(2), x, y));
        uint48 expiry = uint48(block.timestamp + 60);
        (bytes32 r, bytes32 s) = vm.signP256(pk, sha256(abi.encodePacked(HASH)));
        // Normalise to low-s (protocol §5).
        uint256 n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;
        if (uint256(s) > n / 2) s = bytes32(n - uint256(s));
        bytes memory sig = abi.encodePacked(
            uint8(1), TIER, _proof(ISS, IDC, keyId, expiry, MODULUS), MODULUS, expiry, uint8(2), x, y, r, s
        );
        assertEq(sig.length, 362 + 64);
        assertEq(_validate(sig, HASH), uint256(expiry) << 160);
        assertEq(_validate(abi.encodePacked(uint8(2), uint8(2), x, y, r, s), HASH), uint256(expiry) << 160);
        // High-s is refused.
        bytes32 highS = bytes32(n - uint256(s));
        assertEq(_validate(abi.encodePacked(uint8(2), uint8(2), x, y, r, highS), HASH), 1);
    }

    function test_prove_unknownJwk() public {
        uint48 expiry = uint48(block.timestamp + 60);
        bytes memory sig =
            _proveSig(EPH_PK, HASH, expiry, 0x9999, _proof(ISS, IDC, _keyId(vm.addr(EPH_PK)), expiry, 0x9999));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.UnknownJwk.selector, ISS, uint256(0x9999)));
        _validate(sig, HASH);
    }

    function test_prove_revokedJwk() public {
        vm.prank(owner);
        registry.revokeKey(ISS, MODULUS);
        bytes memory sig = _proveSig(EPH_PK, HASH, uint48(block.timestamp + 60));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.RevokedJwk.selector, ISS, MODULUS));
        _validate(sig, HASH);
    }

    function test_prove_unknownTier() public {
        bytes memory sig = _proveSig(EPH_PK, HASH, uint48(block.timestamp + 60));
        sig[1] = 0x00;
        sig[2] = 0x07;
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.UnknownTier.selector, uint16(7)));
        _validate(sig, HASH);
    }

    function test_prove_zeroExpiry() public {
        bytes memory sig = _proveSig(EPH_PK, HASH, 0);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidExpiry.selector, uint48(0)));
        _validate(sig, HASH);
    }

    function test_prove_badLength(uint8 cut) public {
        bytes memory sig = _proveSig(EPH_PK, HASH, uint48(block.timestamp + 60));
        uint256 len = bound(cut, 1, sig.length - 1);
        bytes memory shortSig = new bytes(len);
        for (uint256 i; i < len; ++i) {
            shortSig[i] = sig[i];
        }
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidSignatureLength.selector, len));
        _validate(shortSig, HASH);
    }

    function test_prove_unknownKeyType() public {
        bytes memory sig = _proveSig(EPH_PK, HASH, uint48(block.timestamp + 60));
        sig[297] = 0x03;
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.UnknownKeyType.selector, uint8(3)));
        _validate(sig, HASH);
    }

    function test_unknownMode(uint8 mode) public {
        vm.assume(mode != 1 && mode != 2);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.UnknownMode.selector, mode));
        _validate(abi.encodePacked(mode), HASH);
    }

    function test_emptySignature() public {
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidSignatureLength.selector, 0));
        _validate("", HASH);
    }

    function test_notInitializedAccount() public {
        bytes memory sig = _proveSig(EPH_PK, HASH, uint48(block.timestamp + 60));
        PackedUserOperation memory op;
        op.signature = sig;
        vm.prank(address(0x1));
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0x1)));
        zkLogin.validateUserOp(op, HASH);
        op.signature = _keySig(EPH_PK, HASH);
        vm.prank(address(0x1));
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0x1)));
        zkLogin.validateUserOp(op, HASH);
    }

    function test_keyMode_unknownKey() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ZkLoginValidator.UnknownEphemeralKey.selector, address(this), _keyId(vm.addr(EPH_PK))
            )
        );
        _validate(_keySig(EPH_PK, HASH), HASH);
    }

    function test_keyMode_badLength() public {
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidSignatureLength.selector, 1));
        _validate(hex"02", HASH);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidSignatureLength.selector, 3));
        _validate(hex"020100", HASH);
    }

    function test_keyMode_wrongSignerFails() public {
        _validate(_proveSig(EPH_PK, HASH, uint48(block.timestamp + 60)), HASH);
        bytes memory sig = abi.encodePacked(uint8(2), uint8(1), vm.addr(EPH_PK), _ecdsa(0xB0B, HASH));
        assertEq(_validate(sig, HASH), 1);
    }

    function test_revokeKey_blocksUseAndReRegistration() public {
        uint48 expiry = uint48(block.timestamp + 60);
        bytes32 keyId = _keyId(vm.addr(EPH_PK));
        _validate(_proveSig(EPH_PK, HASH, expiry), HASH);
        zkLogin.revokeKey(keyId);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.EphemeralKeyRevoked.selector, address(this), keyId));
        _validate(_keySig(EPH_PK, HASH), HASH);
        // The same proof cannot bring the key back.
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.EphemeralKeyRevoked.selector, address(this), keyId));
        _validate(_proveSig(EPH_PK, HASH, expiry), HASH);
    }

    function test_revokeKey_notInitialized() public {
        vm.prank(address(0x1));
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0x1)));
        zkLogin.revokeKey(bytes32(0));
    }

    function test_reinstall_killsOldKeys() public {
        bytes32 keyId = _keyId(vm.addr(EPH_PK));
        _validate(_proveSig(EPH_PK, HASH, uint48(block.timestamp + 60)), HASH);
        zkLogin.onUninstall("");
        assertFalse(zkLogin.isInitialized(address(this)));
        zkLogin.onInstall(abi.encode(ISS, IDC));
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.UnknownEphemeralKey.selector, address(this), keyId));
        _validate(_keySig(EPH_PK, HASH), HASH);
    }

    function test_erc1271_modes() public {
        uint48 expiry = uint48(block.timestamp + 60);
        bytes32 h = keccak256("message");
        // Mode 0x01 is checked statelessly.
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, _proveSig(EPH_PK, h, expiry)), bytes4(0x1626ba7e));
        // Mode 0x02 needs a registered key.
        vm.expectRevert();
        zkLogin.isValidSignatureWithSender(address(0), h, _keySig(EPH_PK, h));
        _validate(_proveSig(EPH_PK, HASH, expiry), HASH);
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, _keySig(EPH_PK, h)), bytes4(0x1626ba7e));
        bytes memory forged = abi.encodePacked(uint8(2), uint8(1), vm.addr(EPH_PK), _ecdsa(0xB0B, h));
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, forged), bytes4(0xffffffff));
        // Expired keys are refused (ERC-1271 runs outside ERC-4337 validation, so it reads the clock).
        vm.warp(expiry);
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, _keySig(EPH_PK, h)), bytes4(0xffffffff));
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, ""), bytes4(0xffffffff));
        assertEq(zkLogin.isValidSignatureWithSender(address(0), h, hex"05"), bytes4(0xffffffff));
    }

    function test_setVerifier() public {
        MockGroth16Verifier v = new MockGroth16Verifier();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        zkLogin.setVerifier(1024, v);
        vm.startPrank(owner);
        zkLogin.setVerifier(1024, v);
        assertEq(address(zkLogin.verifiers(1024)), address(v));
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.TierAlreadySet.selector, uint16(1024)));
        zkLogin.setVerifier(1024, v);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidVerifier.selector, uint16(0), address(v)));
        zkLogin.setVerifier(0, v);
        vm.expectRevert(abi.encodeWithSelector(ZkLoginValidator.InvalidVerifier.selector, uint16(7), address(0)));
        zkLogin.setVerifier(7, IGroth16Verifier(address(0)));
        vm.stopPrank();
    }

    function test_keyIdOf() public view {
        address eph = vm.addr(EPH_PK);
        assertEq(zkLogin.keyIdOf(1, abi.encodePacked(eph)), _keyId(eph));
    }
}
