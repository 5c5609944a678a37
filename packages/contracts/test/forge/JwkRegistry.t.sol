// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Test} from "./utils/Test.sol";
import {JwkRegistry} from "../../src/registry/JwkRegistry.sol";

contract JwkRegistryTest is Test {
    JwkRegistry internal registry;
    address internal owner = address(0xA);
    uint256[3] internal pks = [uint256(0x101), 0x202, 0x303];
    address[] internal oracles;

    function setUp() public {
        // Oracles sorted ascending.
        address[3] memory addrs = [vm.addr(pks[0]), vm.addr(pks[1]), vm.addr(pks[2])];
        for (uint256 i; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (addrs[j] < addrs[i]) {
                    (addrs[i], addrs[j]) = (addrs[j], addrs[i]);
                    (pks[i], pks[j]) = (pks[j], pks[i]);
                }
            }
        }
        for (uint256 i; i < 3; ++i) {
            oracles.push(addrs[i]);
        }
        registry = new JwkRegistry(owner, oracles, 2);
    }

    function _updates(JwkRegistry.Action action, uint256 iss, uint256 mod, uint256 repl)
        internal
        pure
        returns (JwkRegistry.JwkUpdate[] memory u)
    {
        u = new JwkRegistry.JwkUpdate[](1);
        u[0] = JwkRegistry.JwkUpdate(action, iss, mod, repl);
    }

    function _sign(JwkRegistry.JwkUpdate[] memory u, uint256 nonce, uint256[] memory signers)
        internal
        view
        returns (bytes[] memory sigs)
    {
        bytes32 digest = registry.batchDigest(u, nonce);
        sigs = new bytes[](signers.length);
        for (uint256 i; i < signers.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(signers[i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
    }

    function _two(uint256 a, uint256 b) internal pure returns (uint256[] memory s) {
        s = new uint256[](2);
        s[0] = a;
        s[1] = b;
    }

    function test_ownerLifecycle(uint256 iss, uint256 mod, uint256 repl) public {
        vm.assume(iss != 0 && mod != 0 && repl != 0 && mod != repl);
        vm.startPrank(owner);
        vm.expectEmit(address(registry));
        emit JwkRegistry.JwkAdded(iss, mod);
        registry.addKey(iss, mod);
        assertTrue(registry.isValidKey(iss, mod));
        registry.checkKey(iss, mod);
        vm.expectRevert(
            abi.encodeWithSelector(JwkRegistry.JwkAlreadyRegistered.selector, iss, mod, JwkRegistry.KeyStatus.Active)
        );
        registry.addKey(iss, mod);

        registry.rotateKey(iss, mod, repl);
        assertFalse(registry.isValidKey(iss, mod));
        assertTrue(registry.isValidKey(iss, repl));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.RotatedJwk.selector, iss, mod, repl));
        registry.checkKey(iss, mod);
        vm.expectRevert(
            abi.encodeWithSelector(JwkRegistry.JwkNotActive.selector, iss, mod, JwkRegistry.KeyStatus.Rotated)
        );
        registry.rotateKey(iss, mod, repl);

        registry.revokeKey(iss, repl);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.RevokedJwk.selector, iss, repl));
        registry.checkKey(iss, repl);
        vm.expectRevert(
            abi.encodeWithSelector(JwkRegistry.JwkNotActive.selector, iss, repl, JwkRegistry.KeyStatus.Revoked)
        );
        registry.revokeKey(iss, repl);
        vm.stopPrank();

        (uint256[] memory mods, JwkRegistry.KeyStatus[] memory statuses) = registry.keysOf(iss);
        assertEq(mods.length, 2);
        assertEq(mods[0], mod);
        assertEq(uint256(statuses[0]), uint256(JwkRegistry.KeyStatus.Rotated));
        assertEq(uint256(statuses[1]), uint256(JwkRegistry.KeyStatus.Revoked));
    }

    function test_unknownKey(uint256 iss, uint256 mod) public {
        assertFalse(registry.isValidKey(iss, mod));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.UnknownJwk.selector, iss, mod));
        registry.checkKey(iss, mod);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(JwkRegistry.JwkNotActive.selector, iss, mod, JwkRegistry.KeyStatus.Unknown)
        );
        registry.revokeKey(iss, mod);
    }

    function test_zeroHashRefused() public {
        vm.startPrank(owner);
        vm.expectRevert(JwkRegistry.ZeroHash.selector);
        registry.addKey(0, 1);
        vm.expectRevert(JwkRegistry.ZeroHash.selector);
        registry.addKey(1, 0);
        vm.stopPrank();
    }

    function test_onlyOwner(address caller) public {
        vm.assume(caller != owner);
        vm.startPrank(caller);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        registry.addKey(1, 2);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        registry.rotateKey(1, 2, 3);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        registry.revokeKey(1, 2);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        registry.applyUpdates(new JwkRegistry.JwkUpdate[](0));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller));
        registry.setOracles(new address[](0), 0);
        vm.stopPrank();
    }

    function test_ownable2Step() public {
        vm.prank(owner);
        registry.transferOwnership(address(0xB));
        assertEq(registry.owner(), owner);
        vm.prank(address(0xB));
        registry.acceptOwnership();
        assertEq(registry.owner(), address(0xB));
    }

    function test_applyUpdatesBatch() public {
        JwkRegistry.JwkUpdate[] memory u = new JwkRegistry.JwkUpdate[](3);
        u[0] = JwkRegistry.JwkUpdate(JwkRegistry.Action.Add, 1, 10, 0);
        u[1] = JwkRegistry.JwkUpdate(JwkRegistry.Action.Rotate, 1, 10, 11);
        u[2] = JwkRegistry.JwkUpdate(JwkRegistry.Action.Add, 2, 20, 0);
        vm.prank(owner);
        registry.applyUpdates(u);
        assertTrue(registry.isValidKey(1, 11));
        assertFalse(registry.isValidKey(1, 10));
        assertTrue(registry.isValidKey(2, 20));
    }

    function test_oracleBatch() public {
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        bytes[] memory sigs = _sign(u, 0, _two(pks[0], pks[2]));
        vm.expectEmit(address(registry));
        emit JwkRegistry.BatchApplied(0, 1);
        registry.applyOracleBatch(u, 0, sigs);
        assertTrue(registry.isValidKey(7, 70));
        assertEq(registry.nonce(), 1);
        // Replay refused.
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidNonce.selector, 1, 0));
        registry.applyOracleBatch(u, 0, sigs);
    }

    function test_oracleBatch_notEnoughSignatures() public {
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        uint256[] memory one = new uint256[](1);
        one[0] = pks[0];
        bytes[] memory sigs = _sign(u, 0, one);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.NotEnoughSignatures.selector, 1, 2));
        registry.applyOracleBatch(u, 0, sigs);
    }

    function test_oracleBatch_duplicateOrUnsortedSigner() public {
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        bytes[] memory dup = _sign(u, 0, _two(pks[1], pks[1]));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSignature.selector, 1, oracles[1]));
        registry.applyOracleBatch(u, 0, dup);
        bytes[] memory unsorted = _sign(u, 0, _two(pks[2], pks[0]));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSignature.selector, 1, oracles[0]));
        registry.applyOracleBatch(u, 0, unsorted);
    }

    function test_oracleBatch_outsider(uint256 pk) public {
        pk = bound(pk, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        address signer = vm.addr(pk);
        vm.assume(!registry.isOracle(signer));
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        bytes[] memory sigs = _sign(u, 0, _two(pk, pks[0]));
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSignature.selector, 0, signer));
        registry.applyOracleBatch(u, 0, sigs);
    }

    function test_oracleBatch_tamperedUpdate() public {
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        bytes[] memory sigs = _sign(u, 0, _two(pks[0], pks[1]));
        u[0].modulusHash = 71;
        vm.expectRevert();
        registry.applyOracleBatch(u, 0, sigs);
        assertFalse(registry.isValidKey(7, 71));
    }

    function test_oracleBatch_disabledWhenNoOracles() public {
        vm.prank(owner);
        registry.setOracles(new address[](0), 0);
        JwkRegistry.JwkUpdate[] memory u = _updates(JwkRegistry.Action.Add, 7, 70, 0);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.NotEnoughSignatures.selector, 0, 0));
        registry.applyOracleBatch(u, 0, new bytes[](0));
    }

    function test_setOracles_invalid() public {
        address[] memory two = new address[](2);
        two[0] = address(2);
        two[1] = address(1);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSet.selector, 2, 1));
        registry.setOracles(two, 1);
        two[0] = address(1);
        two[1] = address(2);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSet.selector, 2, 3));
        registry.setOracles(two, 3);
        vm.expectRevert(abi.encodeWithSelector(JwkRegistry.InvalidOracleSet.selector, 2, 0));
        registry.setOracles(two, 0);
        registry.setOracles(two, 2);
        vm.stopPrank();
        assertEq(registry.threshold(), 2);
        assertEq(registry.oracles().length, 2);
        assertFalse(registry.isOracle(oracles[0]));
        assertTrue(registry.isOracle(address(2)));
    }
}
