// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkSsoBase} from "./base/ZkSsoBase.sol";
import {ZkSsoAccount} from "../../src/account/ZkSsoAccount.sol";
import {ZkSsoAccountFactory} from "../../src/factory/ZkSsoAccountFactory.sol";
import {ZkSsoAccountProxy} from "../../src/account/ZkSsoAccountProxy.sol";
import {IModule} from "../../src/interfaces/IERC7579.sol";

/// @notice A stand-in passkey validator recording its install data (the real one is WebAuthnValidator).
contract RecordingValidator is IModule {
    mapping(address => bytes) public installData;

    function onInstall(bytes calldata data) external {
        installData[msg.sender] = data;
    }

    function onUninstall(bytes calldata) external {}

    function isModuleType(uint256 t) external pure returns (bool) {
        return t == 1;
    }

    function isInitialized(address a) external view returns (bool) {
        return installData[a].length != 0;
    }
}

contract ZkSsoAccountFactoryTest is ZkSsoBase {
    RecordingValidator internal passkeys;
    ZkSsoAccountFactory internal f;

    function setUp() public override {
        super.setUp();
        passkeys = new RecordingValidator();
        f = new ZkSsoAccountFactory(address(implementation), address(zkLogin), address(passkeys));
    }

    function test_openIdAddressMatchesProtocol(uint256 iss, uint256 idc) public {
        vm.assume(iss != 0 && idc != 0);
        bytes32 salt = keccak256(abi.encode(uint8(1), iss, idc));
        bytes32 initHash =
            keccak256(abi.encodePacked(type(ZkSsoAccountProxy).creationCode, abi.encode(address(implementation))));
        assertEq(f.accountInitCodeHash(), initHash);
        address expected =
            address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(f), salt, initHash)))));
        assertEq(f.getOpenIdAccountAddress(iss, idc), expected);
        assertEq(f.getAddress(salt), expected);
        address account = f.createOpenIdAccount(iss, idc);
        assertEq(account, expected);
        assertTrue(ZkSsoAccount(payable(account)).isModuleInstalled(1, address(zkLogin), ""));
        (uint256 storedIss, uint256 storedIdc) = zkLogin.identityOf(account);
        assertEq(storedIss, iss);
        assertEq(storedIdc, idc);
    }

    function test_createIsIdempotent() public {
        address first = f.createOpenIdAccount(ISS, IDC);
        vm.recordLogs();
        address second = f.createOpenIdAccount(ISS, IDC);
        assertEq(first, second);
    }

    function test_createEmitsEvent() public {
        address expected = f.getOpenIdAccountAddress(ISS, IDC);
        vm.expectEmit(address(f));
        emit ZkSsoAccountFactory.AccountCreated(expected, 1, f.openIdAccountSalt(ISS, IDC));
        f.createOpenIdAccount(ISS, IDC);
    }

    function test_passkeyAccount(bytes calldata credentialId, uint256 x, uint256 y) public {
        vm.assume(credentialId.length > 0 && credentialId.length < 200);
        bytes32 salt = keccak256(abi.encode(uint8(2), keccak256(credentialId), x, y));
        assertEq(f.passkeyAccountSalt(credentialId, x, y), salt);
        address expected = f.getPasskeyAccountAddress(credentialId, x, y);
        assertEq(expected, f.getAddress(salt));
        address account = f.createPasskeyAccount(credentialId, x, y, "https://app.example", bytes32(uint256(5)));
        assertEq(account, expected);
        assertEq(
            passkeys.installData(account), abi.encode(credentialId, x, y, "https://app.example", bytes32(uint256(5)))
        );
        assertTrue(ZkSsoAccount(payable(account)).isModuleInstalled(1, address(passkeys), ""));
    }

    function test_kindsDoNotCollide(uint256 a, uint256 b) public view {
        assertTrue(f.openIdAccountSalt(a, b) != f.passkeyAccountSalt(abi.encodePacked(a), b, 0));
    }
}
