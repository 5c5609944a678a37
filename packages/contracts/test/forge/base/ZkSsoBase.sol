// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

import {ZkSsoAccount} from "../../../src/account/ZkSsoAccount.sol";
import {ZkSsoAccountFactory} from "../../../src/factory/ZkSsoAccountFactory.sol";
import {ZkLoginValidator} from "../../../src/validators/ZkLoginValidator.sol";
import {JwkRegistry} from "../../../src/registry/JwkRegistry.sol";
import {IGroth16Verifier} from "../../../src/interfaces/IGroth16Verifier.sol";
import {MockGroth16Verifier} from "../../mocks/MockGroth16Verifier.sol";

/// @notice Shared fixture: EntryPoint, registry, mock verifier, zkLogin validator, account implementation, factory.
abstract contract ZkSsoBase is Test {
    uint16 internal constant TIER = 1600;
    uint256 internal constant ISS = 0x1111;
    uint256 internal constant IDC = 0x2222;
    uint256 internal constant MODULUS = 0x3333;
    uint256 internal constant EPH_PK = 0xA11CE;

    EntryPoint internal entryPoint;
    JwkRegistry internal registry;
    MockGroth16Verifier internal verifier;
    ZkLoginValidator internal zkLogin;
    ZkSsoAccount internal implementation;
    ZkSsoAccountFactory internal factory;
    address internal owner = address(0x0A);
    address payable internal beneficiary = payable(address(0xBEEF));

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        entryPoint = new EntryPoint();
        registry = new JwkRegistry(owner, new address[](0), 0);
        verifier = new MockGroth16Verifier();
        uint16[] memory tiers = new uint16[](1);
        tiers[0] = TIER;
        IGroth16Verifier[] memory verifiers = new IGroth16Verifier[](1);
        verifiers[0] = verifier;
        zkLogin = new ZkLoginValidator(registry, owner, tiers, verifiers);
        implementation = new ZkSsoAccount(IEntryPoint(address(entryPoint)));
        factory = new ZkSsoAccountFactory(address(implementation), address(zkLogin), address(0xDEAD));
        vm.prank(owner);
        registry.addKey(ISS, MODULUS);
    }

    function _keyId(address ephemeral) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint8(1), ephemeral));
    }

    /// @dev A mock "proof" committing to the public inputs (see MockGroth16Verifier).
    function _proof(uint256 iss, uint256 idc, bytes32 keyId, uint48 expiry, uint256 modulus)
        internal
        pure
        returns (bytes memory)
    {
        uint256[6] memory pub = [iss, idc, uint256(keyId) >> 128, uint256(uint128(uint256(keyId))), expiry, modulus];
        uint256[2] memory a = [uint256(keccak256(abi.encode(pub))), 0];
        uint256[2][2] memory b;
        uint256[2] memory c;
        return abi.encode(a, b, c);
    }

    function _ecdsa(uint256 pk, bytes32 hash) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, hash);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Mode 0x01 validator signature (without the 20-byte validator prefix) for a secp256k1 key.
    function _proveSig(uint256 pk, bytes32 hash, uint48 expiry, uint256 modulus, bytes memory proof)
        internal
        pure
        returns (bytes memory)
    {
        address eph = vm.addr(pk);
        return abi.encodePacked(uint8(1), TIER, proof, modulus, expiry, uint8(1), eph, _ecdsa(pk, hash));
    }

    function _proveSig(uint256 pk, bytes32 hash, uint48 expiry) internal pure returns (bytes memory) {
        return _proveSig(pk, hash, expiry, MODULUS, _proof(ISS, IDC, _keyId(vm.addr(pk)), expiry, MODULUS));
    }

    /// @dev Mode 0x02 validator signature for a secp256k1 key.
    function _keySig(uint256 pk, bytes32 hash) internal pure returns (bytes memory) {
        return abi.encodePacked(uint8(2), uint8(1), vm.addr(pk), _ecdsa(pk, hash));
    }

    function _op(address sender, bytes memory initCode, bytes memory callData)
        internal
        view
        returns (PackedUserOperation memory op)
    {
        op.sender = sender;
        op.nonce = entryPoint.getNonce(sender, 0);
        op.initCode = initCode;
        op.callData = callData;
        op.accountGasLimits = bytes32(uint256(2_000_000) << 128 | uint256(1_000_000));
        op.preVerificationGas = 100_000;
        op.gasFees = bytes32(uint256(1 gwei) << 128 | uint256(1 gwei));
    }

    function _handle(PackedUserOperation memory op) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(beneficiary, beneficiary);
        entryPoint.handleOps(ops, beneficiary);
    }

    function _newAccount() internal returns (ZkSsoAccount) {
        return ZkSsoAccount(payable(factory.createOpenIdAccount(ISS, IDC)));
    }
}
