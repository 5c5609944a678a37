// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkSsoAccountProxy} from "../account/ZkSsoAccountProxy.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

import {ZkSsoAccount} from "../account/ZkSsoAccount.sol";

/// @title ZkSsoAccountFactory
/// @notice Deploys zkSSO accounts (ERC-1967 proxies (ZkSsoAccountProxy) to one ZkSsoAccount implementation) at CREATE2 addresses
///         derived from the user's identity (protocol §9), and initialises them in the same transaction.
/// @dev The proxy's init code does not depend on the user (`ZkSsoAccountProxy(implementation)`), so an address is
///      `keccak256(0xff ‖ factory ‖ salt ‖ accountInitCodeHash())[12:]`. `create*` returns the existing account
///      when it is already deployed (ERC-4337 initCode semantics). The validator and its install data are fixed
///      by the factory from the salt's inputs, so nobody can deploy someone else's address with other keys.
contract ZkSsoAccountFactory {
    /// @notice Account kinds (the first word of the salt).
    uint8 public constant KIND_OPENID = 1;
    uint8 public constant KIND_PASSKEY = 2;

    /// @notice The ZkSsoAccount implementation behind every proxy.
    address public immutable accountImplementation;
    /// @notice The validator installed in OpenID accounts.
    address public immutable zkLoginValidator;
    /// @notice The validator installed in passkey accounts.
    address public immutable webAuthnValidator;

    /// @notice A new account was deployed and initialised.
    event AccountCreated(address indexed account, uint8 indexed kind, bytes32 salt);

    constructor(address accountImplementation_, address zkLoginValidator_, address webAuthnValidator_) {
        accountImplementation = accountImplementation_;
        zkLoginValidator = zkLoginValidator_;
        webAuthnValidator = webAuthnValidator_;
    }

    /// @notice Deploys (or returns) the OpenID account of (issHash, idc), with ZkLoginValidator installed.
    function createOpenIdAccount(uint256 issHash, uint256 idc) external returns (address account) {
        return _create(KIND_OPENID, openIdAccountSalt(issHash, idc), zkLoginValidator, abi.encode(issHash, idc));
    }

    /// @notice Deploys (or returns) the passkey account of (credentialId, x, y), with WebAuthnValidator
    ///         installed for that passkey, its expected `origin` and `rpIdHash`.
    /// @dev The salt binds credentialId and the public key (protocol §9), not origin/rpIdHash.
    function createPasskeyAccount(
        bytes calldata credentialId,
        uint256 x,
        uint256 y,
        string calldata origin,
        bytes32 rpIdHash
    ) external returns (address account) {
        return _create(
            KIND_PASSKEY,
            passkeyAccountSalt(credentialId, x, y),
            webAuthnValidator,
            abi.encode(credentialId, x, y, origin, rpIdHash)
        );
    }

    /// @notice The address of the OpenID account of (issHash, idc), deployed or not.
    function getOpenIdAccountAddress(uint256 issHash, uint256 idc) external view returns (address) {
        return getAddress(openIdAccountSalt(issHash, idc));
    }

    /// @notice The address of the passkey account of (credentialId, x, y), deployed or not.
    function getPasskeyAccountAddress(bytes calldata credentialId, uint256 x, uint256 y)
        external
        view
        returns (address)
    {
        return getAddress(passkeyAccountSalt(credentialId, x, y));
    }

    /// @notice The account address for a salt.
    function getAddress(bytes32 salt) public view returns (address) {
        return Create2.computeAddress(salt, accountInitCodeHash());
    }

    /// @notice keccak256 of the proxy init code shared by every account.
    function accountInitCodeHash() public view returns (bytes32) {
        return keccak256(_initCode());
    }

    /// @notice `keccak256(abi.encode(uint8(1), issHash, idc))`.
    function openIdAccountSalt(uint256 issHash, uint256 idc) public pure returns (bytes32) {
        return keccak256(abi.encode(KIND_OPENID, issHash, idc));
    }

    /// @notice `keccak256(abi.encode(uint8(2), keccak256(credentialId), x, y))`.
    function passkeyAccountSalt(bytes calldata credentialId, uint256 x, uint256 y) public pure returns (bytes32) {
        return keccak256(abi.encode(KIND_PASSKEY, keccak256(credentialId), x, y));
    }

    function _create(uint8 kind, bytes32 salt, address validator, bytes memory initData)
        private
        returns (address account)
    {
        account = getAddress(salt);
        if (account.code.length != 0) return account;
        Create2.deploy(0, salt, _initCode());
        ZkSsoAccount(payable(account)).initialize(validator, initData);
        emit AccountCreated(account, kind, salt);
    }

    function _initCode() private view returns (bytes memory) {
        return abi.encodePacked(type(ZkSsoAccountProxy).creationCode, abi.encode(accountImplementation));
    }
}
