// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {WebAuthnValidator} from "../../src/validators/WebAuthnValidator.sol";
import {IModule, MODULE_TYPE_VALIDATOR, MODULE_TYPE_EXECUTOR} from "../../src/interfaces/IERC7579.sol";
import {WebAuthnSigner} from "./WebAuthnSigner.t.sol";

contract WebAuthnValidatorTest is WebAuthnSigner {
    event log_named_uint(string key, uint256 val);

    event PasskeyAdded(
        address indexed account,
        bytes32 indexed credentialIdHash,
        bytes credentialId,
        uint256 x,
        uint256 y,
        string origin,
        bytes32 rpIdHash
    );
    event PasskeyRemoved(address indexed account, bytes32 indexed credentialIdHash);
    event OriginAdded(address indexed account, bytes32 indexed originHash, string origin);
    event OriginRemoved(address indexed account, bytes32 indexed originHash);

    WebAuthnValidator internal validator;
    address internal account = address(0xA11CE);

    uint256 internal constant KEY = 0x1234abcd;
    uint256 internal constant KEY2 = 0x5678ef01;
    bytes internal constant CRED = hex"c0ffee0001";
    bytes internal constant CRED2 = hex"c0ffee0002";
    string internal constant ORIGIN = "https://wallet.zksso.test";
    string internal constant APP_ORIGIN = "https://app.wallet.zksso.test";
    bytes32 internal rpIdHash = sha256("wallet.zksso.test");

    function setUp() public {
        validator = new WebAuthnValidator();
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        vm.prank(account);
        validator.onInstall(abi.encode(CRED, x, y, ORIGIN, rpIdHash));
    }

    // ---------------------------------------------------------------- helpers

    function _userOp(bytes memory signature) internal view returns (PackedUserOperation memory op) {
        op.sender = account;
        op.signature = signature;
    }

    function _validate(bytes memory signature, bytes32 hash) internal returns (uint256) {
        vm.prank(account);
        return validator.validateUserOp(_userOp(signature), hash);
    }

    function _signed(bytes32 hash) internal pure returns (Assertion memory) {
        return signAssertion(buildAssertion(keccak256(CRED), hash, sha256("wallet.zksso.test"), ORIGIN), KEY);
    }

    function _failure(bytes memory signature, bytes32 hash) internal view returns (WebAuthnValidator.Failure) {
        return validator.checkSignature(account, hash, signature);
    }

    function _assertFailure(bytes memory signature, bytes32 hash, WebAuthnValidator.Failure expected) internal {
        assertEq(uint256(_failure(signature, hash)), uint256(expected));
        assertEq(_validate(signature, hash), 1);
    }

    // ---------------------------------------------------------------- configuration

    function test_install_storesPasskeyAndDiscovery() public view {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        WebAuthnValidator.Passkey memory p = validator.getPasskey(account, keccak256(CRED));
        assertEq(p.x, x);
        assertEq(p.y, y);
        assertEq(p.rpIdHash, rpIdHash);
        assertEq(p.originHash, keccak256(bytes(ORIGIN)));
        assertTrue(validator.isInitialized(account));
        assertFalse(validator.isInitialized(address(0xB0B)));
        assertEq(validator.accountsOf(keccak256(CRED))[0], account);
        assertEq(validator.credentialsOf(account)[0], keccak256(CRED));
        assertTrue(validator.isModuleType(MODULE_TYPE_VALIDATOR));
        assertFalse(validator.isModuleType(MODULE_TYPE_EXECUTOR));
    }

    function test_install_emitsPasskeyAdded() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.expectEmit(address(validator));
        emit PasskeyAdded(address(0xB0B), keccak256(CRED2), CRED2, x, y, "", rpIdHash);
        vm.prank(address(0xB0B));
        validator.onInstall(abi.encode(CRED2, x, y, "", rpIdHash));
    }

    function test_install_twice_reverts() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.expectRevert(abi.encodeWithSelector(IModule.AlreadyInitialized.selector, account));
        vm.prank(account);
        validator.onInstall(abi.encode(CRED2, x, y, ORIGIN, rpIdHash));
    }

    function test_install_invalidPasskey_reverts() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.startPrank(address(0xB0B));
        vm.expectRevert(WebAuthnValidator.InvalidPasskey.selector);
        validator.onInstall(abi.encode(bytes(""), x, y, ORIGIN, rpIdHash)); // empty credential id
        vm.expectRevert(WebAuthnValidator.InvalidPasskey.selector);
        validator.onInstall(abi.encode(CRED2, x, y, ORIGIN, bytes32(0))); // no rpIdHash
        vm.expectRevert(WebAuthnValidator.InvalidPasskey.selector);
        validator.onInstall(abi.encode(CRED2, x, y + 1, ORIGIN, rpIdHash)); // not on the curve
        vm.stopPrank();
    }

    function test_addPasskey_notInstalled_reverts() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0xB0B)));
        vm.prank(address(0xB0B));
        validator.addPasskey(CRED2, x, y, ORIGIN, rpIdHash);
    }

    function test_addPasskey_duplicate_reverts() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.expectRevert(
            abi.encodeWithSelector(WebAuthnValidator.PasskeyAlreadyRegistered.selector, account, keccak256(CRED))
        );
        vm.prank(account);
        validator.addPasskey(CRED, x, y, ORIGIN, rpIdHash);
    }

    function test_secondPasskey_signsThenRemoved() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.prank(account);
        validator.addPasskey(CRED2, x, y, ORIGIN, rpIdHash);
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED2), hash, rpIdHash, ORIGIN), KEY2);
        assertEq(_validate(encodeAssertion(a), hash), 0);

        vm.expectEmit(address(validator));
        emit PasskeyRemoved(account, keccak256(CRED2));
        vm.prank(account);
        validator.removePasskey(keccak256(CRED2));
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.UnknownCredential);
        assertEq(validator.accountsOf(keccak256(CRED2)).length, 0);
        assertEq(validator.credentialsOf(account).length, 1);
    }

    function test_removePasskey_unknown_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(WebAuthnValidator.PasskeyNotRegistered.selector, account, keccak256(CRED2))
        );
        vm.prank(account);
        validator.removePasskey(keccak256(CRED2));
    }

    function test_removePasskey_last_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(WebAuthnValidator.CannotRemoveLastPasskey.selector, account));
        vm.prank(account);
        validator.removePasskey(keccak256(CRED));
    }

    function test_uninstall_clearsEverything() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.startPrank(account);
        validator.addPasskey(CRED2, x, y, "", rpIdHash);
        validator.onUninstall("");
        vm.stopPrank();
        assertFalse(validator.isInitialized(account));
        assertEq(validator.accountsOf(keccak256(CRED)).length, 0);
        assertEq(validator.accountsOf(keccak256(CRED2)).length, 0);
        assertEq(validator.getPasskey(account, keccak256(CRED)).x, 0);
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_signed(hash)), hash, WebAuthnValidator.Failure.UnknownCredential);
    }

    function test_uninstall_notInstalled_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0xB0B)));
        vm.prank(address(0xB0B));
        validator.onUninstall("");
    }

    function test_discovery_listsEveryAccountOfACredential() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        vm.prank(address(0xB0B));
        validator.onInstall(abi.encode(CRED, x, y, ORIGIN, rpIdHash));
        address[] memory accounts = validator.accountsOf(keccak256(CRED));
        assertEq(accounts.length, 2);
        assertEq(accounts[1], address(0xB0B));
    }

    // ---------------------------------------------------------------- allowed origins

    function _signedAt(string memory origin, bytes32 hash) internal view returns (Assertion memory) {
        return signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, origin), KEY);
    }

    function test_addOrigin_emitsAndIsAllowed() public {
        assertFalse(validator.isOriginAllowed(account, APP_ORIGIN));
        vm.expectEmit(address(validator));
        emit OriginAdded(account, keccak256(bytes(APP_ORIGIN)), APP_ORIGIN);
        vm.prank(account);
        validator.addOrigin(APP_ORIGIN);
        assertTrue(validator.isOriginAllowed(account, APP_ORIGIN));
        // Per account: another account does not inherit it.
        assertFalse(validator.isOriginAllowed(address(0xB0B), APP_ORIGIN));
    }

    function test_allowedOrigin_acceptedByOriginBoundPasskey() public {
        bytes32 hash = keccak256("op");
        bytes memory sig = encodeAssertion(_signedAt(APP_ORIGIN, hash));
        _assertFailure(sig, hash, WebAuthnValidator.Failure.OriginMismatch);

        vm.prank(account);
        validator.addOrigin(APP_ORIGIN);
        assertEq(uint256(_failure(sig, hash)), 0);
        assertEq(_validate(sig, hash), 0);
        // The passkey's own origin is still accepted.
        assertEq(_validate(encodeAssertion(_signed(hash)), hash), 0);
        // An origin outside the set is still refused.
        _assertFailure(
            encodeAssertion(_signedAt("https://evil.wallet.zksso.test", hash)),
            hash,
            WebAuthnValidator.Failure.OriginMismatch
        );
    }

    function test_allowedOrigin_doesNotBypassRpId() public {
        vm.prank(account);
        validator.addOrigin("https://evil.test");
        bytes32 hash = keccak256("op");
        Assertion memory a =
            signAssertion(buildAssertion(keccak256(CRED), hash, sha256("evil.test"), "https://evil.test"), KEY);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.RpIdMismatch);
    }

    function test_allowedOrigin_ofAnotherAccount_refused() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        vm.startPrank(address(0xB0B));
        validator.onInstall(abi.encode(CRED, x, y, ORIGIN, rpIdHash));
        validator.addOrigin(APP_ORIGIN);
        vm.stopPrank();
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_signedAt(APP_ORIGIN, hash)), hash, WebAuthnValidator.Failure.OriginMismatch);
    }

    function test_removeOrigin_emitsAndRefusesAgain() public {
        bytes32 hash = keccak256("op");
        bytes memory sig = encodeAssertion(_signedAt(APP_ORIGIN, hash));
        vm.prank(account);
        validator.addOrigin(APP_ORIGIN);
        assertEq(_validate(sig, hash), 0);

        vm.expectEmit(address(validator));
        emit OriginRemoved(account, keccak256(bytes(APP_ORIGIN)));
        vm.prank(account);
        validator.removeOrigin(APP_ORIGIN);
        assertFalse(validator.isOriginAllowed(account, APP_ORIGIN));
        _assertFailure(sig, hash, WebAuthnValidator.Failure.OriginMismatch);
    }

    function test_addOrigin_empty_reverts() public {
        vm.expectRevert(WebAuthnValidator.EmptyOrigin.selector);
        vm.prank(account);
        validator.addOrigin("");
    }

    function test_addOrigin_duplicate_reverts() public {
        vm.startPrank(account);
        validator.addOrigin(APP_ORIGIN);
        vm.expectRevert(
            abi.encodeWithSelector(
                WebAuthnValidator.OriginAlreadyAllowed.selector, account, keccak256(bytes(APP_ORIGIN))
            )
        );
        validator.addOrigin(APP_ORIGIN);
        vm.stopPrank();
    }

    function test_removeOrigin_notAllowed_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(WebAuthnValidator.OriginNotAllowed.selector, account, keccak256(bytes(APP_ORIGIN)))
        );
        vm.prank(account);
        validator.removeOrigin(APP_ORIGIN);
    }

    function test_addOrigin_notInstalled_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IModule.NotInitialized.selector, address(0xB0B)));
        vm.prank(address(0xB0B));
        validator.addOrigin(APP_ORIGIN);
    }

    function test_uninstall_clearsAllowedOrigins() public {
        vm.startPrank(account);
        validator.addOrigin(APP_ORIGIN);
        validator.addOrigin("https://other.wallet.zksso.test");
        vm.expectEmit(address(validator));
        emit OriginRemoved(account, keccak256("https://other.wallet.zksso.test"));
        vm.expectEmit(address(validator));
        emit OriginRemoved(account, keccak256(bytes(APP_ORIGIN)));
        validator.onUninstall("");
        assertFalse(validator.isOriginAllowed(account, APP_ORIGIN));
        assertFalse(validator.isOriginAllowed(account, "https://other.wallet.zksso.test"));

        // Reinstalled, the account starts with no extra origin.
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY);
        validator.onInstall(abi.encode(CRED, x, y, ORIGIN, rpIdHash));
        vm.stopPrank();
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_signedAt(APP_ORIGIN, hash)), hash, WebAuthnValidator.Failure.OriginMismatch);
    }

    // ---------------------------------------------------------------- validation: accepted

    function test_validateUserOp_validAssertion() public {
        bytes32 hash = keccak256("user op hash");
        bytes memory sig = encodeAssertion(_signed(hash));
        assertEq(uint256(_failure(sig, hash)), 0);
        assertEq(_validate(sig, hash), 0);
    }

    function test_erc1271_validAndInvalid() public {
        bytes32 hash = keccak256("message");
        bytes memory sig = encodeAssertion(_signed(hash));
        vm.prank(account);
        assertEq(validator.isValidSignatureWithSender(address(this), hash, sig), bytes4(0x1626ba7e));
        vm.prank(account);
        assertEq(validator.isValidSignatureWithSender(address(this), keccak256("other"), sig), bytes4(0xffffffff));
        // Another account has no such passkey.
        vm.prank(address(0xB0B));
        assertEq(validator.isValidSignatureWithSender(address(this), hash, sig), bytes4(0xffffffff));
    }

    function test_anyOriginPasskey_acceptsAnyOrigin() public {
        (uint256 x, uint256 y) = vm.publicKeyP256(KEY2);
        vm.prank(account);
        validator.addPasskey(CRED2, x, y, "", rpIdHash);
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED2), hash, rpIdHash, "https://a.other"), KEY2);
        assertEq(_validate(encodeAssertion(a), hash), 0);
        // The account's allowed set does not narrow an any-origin passkey.
        vm.prank(account);
        validator.addOrigin(APP_ORIGIN);
        assertEq(_validate(encodeAssertion(a), hash), 0);
    }

    function testFuzz_validAssertion_anyKeyAndHash(uint256 key, bytes32 hash) public {
        key = bound(key, 1, P256_N - 1);
        (uint256 x, uint256 y) = vm.publicKeyP256(key);
        vm.prank(address(0xB0B));
        validator.onInstall(abi.encode(CRED2, x, y, ORIGIN, rpIdHash));
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED2), hash, rpIdHash, ORIGIN), key);
        vm.prank(address(0xB0B));
        assertEq(validator.validateUserOp(_userOp(encodeAssertion(a)), hash), 0);
    }

    // ---------------------------------------------------------------- validation: rejected, one check each

    function test_reject_wrongChallenge() public {
        Assertion memory a = _signed(keccak256("a different op")); // correctly signed, other challenge
        _assertFailure(encodeAssertion(a), keccak256("op"), WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_standardBase64Challenge() public {
        bytes32 hash = bytes32(uint256(0xfbff) << 240); // encodes with '+' '/' in standard base64
        string memory std = Base64.encode(abi.encodePacked(hash));
        Assertion memory a = signAssertion(
            buildAssertionRaw(
                keccak256(CRED), "webauthn.get", std, ORIGIN, abi.encodePacked(rpIdHash, FLAGS_UP_UV, uint32(1))
            ),
            KEY
        );
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_createType() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(
            buildAssertionRaw(
                keccak256(CRED),
                "webauthn.create",
                Base64.encodeURL(abi.encodePacked(hash)),
                ORIGIN,
                abi.encodePacked(rpIdHash, FLAGS_UP_UV, uint32(1))
            ),
            KEY
        );
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function _withFlags(bytes1 flags, bytes32 hash) internal view returns (Assertion memory) {
        return signAssertion(
            buildAssertionRaw(
                keccak256(CRED),
                "webauthn.get",
                Base64.encodeURL(abi.encodePacked(hash)),
                ORIGIN,
                abi.encodePacked(rpIdHash, flags, uint32(1))
            ),
            KEY
        );
    }

    function test_reject_userNotVerified() public {
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_withFlags(0x01, hash)), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_userNotPresent() public {
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_withFlags(0x04, hash)), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_backupStateWithoutEligibility() public {
        bytes32 hash = keccak256("op");
        _assertFailure(encodeAssertion(_withFlags(0x15, hash)), hash, WebAuthnValidator.Failure.AssertionInvalid);
        // BE and BS together are fine (a synced passkey).
        assertEq(_validate(encodeAssertion(_withFlags(0x1d, hash)), hash), 0);
    }

    function test_reject_otherRpId() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED), hash, sha256("evil.test"), ORIGIN), KEY);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.RpIdMismatch);
    }

    function test_reject_shortAuthenticatorData() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(
            buildAssertionRaw(
                keccak256(CRED),
                "webauthn.get",
                Base64.encodeURL(abi.encodePacked(hash)),
                ORIGIN,
                abi.encodePacked(rpIdHash, FLAGS_UP_UV, uint24(1))
            ),
            KEY
        );
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.RpIdMismatch);
    }

    function test_reject_otherOrigin() public {
        bytes32 hash = keccak256("op");
        Assertion memory a =
            signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, "https://evil.wallet.zksso.test"), KEY);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.OriginMismatch);
        // A prefix of the registered origin is not the origin either.
        a = signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, "https://wallet.zksso.tes"), KEY);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.OriginMismatch);
    }

    function test_reject_originIndexNotAtOriginKey() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        a.originIndex += 1;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.OriginMismatch);
        a.originIndex = type(uint256).max;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.OriginMismatch);
    }

    function test_reject_highS() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        a.s = P256_N - a.s; // the same signature, malleated
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_otherKey() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, ORIGIN), KEY2);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_unknownCredential() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        a.credentialIdHash = keccak256(CRED2);
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.UnknownCredential);
    }

    function test_reject_wrongIndices() public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        a.challengeIndex += 1;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
        a = _signed(hash);
        a.typeIndex = 0;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
        a = _signed(hash);
        a.challengeIndex = type(uint256).max;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
        // A huge typeIndex must not make validation run out of gas (memory expansion) but fail cleanly.
        a = _signed(hash);
        a.typeIndex = 1 << 200;
        _assertFailure(encodeAssertion(a), hash, WebAuthnValidator.Failure.AssertionInvalid);
    }

    function test_reject_malformedEncodings() public {
        bytes32 hash = keccak256("op");
        bytes memory sig = encodeAssertion(_signed(hash));
        _assertFailure("", hash, WebAuthnValidator.Failure.MalformedSignature);
        _assertFailure(new bytes(255), hash, WebAuthnValidator.Failure.MalformedSignature);
        // authenticatorData offset (head word 1) beyond the buffer
        bytes memory bad = bytes.concat(sig);
        assembly { mstore(add(bad, 0x40), 0xffffff) }
        _assertFailure(bad, hash, WebAuthnValidator.Failure.MalformedSignature);
        // clientDataJSON length larger than the buffer
        bad = bytes.concat(sig);
        uint256 cdjOffset;
        assembly { cdjOffset := mload(add(bad, 0x60)) }
        assembly { mstore(add(add(bad, 0x20), cdjOffset), 0xffffffff) }
        _assertFailure(bad, hash, WebAuthnValidator.Failure.MalformedSignature);
        // truncated into clientDataJSON's data (its padding is at most 31 bytes)
        bad = new bytes(sig.length - 64);
        for (uint256 i = 0; i < bad.length; i++) {
            bad[i] = sig[i];
        }
        _assertFailure(bad, hash, WebAuthnValidator.Failure.MalformedSignature);
    }

    // ---------------------------------------------------------------- fuzz: tampering always fails

    function testFuzz_tamperedClientDataJSON_fails(uint256 position, uint8 delta) public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        bytes memory json = bytes(a.clientDataJSON);
        position = bound(position, 0, json.length - 1);
        delta = uint8(bound(delta, 1, 255));
        json[position] = bytes1(uint8(json[position]) ^ delta);
        a.clientDataJSON = string(json);
        assertTrue(_failure(encodeAssertion(a), hash) != WebAuthnValidator.Failure.None);
        assertEq(_validate(encodeAssertion(a), hash), 1);
    }

    function testFuzz_tamperedAuthenticatorData_fails(uint256 position, uint8 delta) public {
        bytes32 hash = keccak256("op");
        Assertion memory a = _signed(hash);
        position = bound(position, 0, a.authenticatorData.length - 1);
        delta = uint8(bound(delta, 1, 255));
        a.authenticatorData[position] = bytes1(uint8(a.authenticatorData[position]) ^ delta);
        assertEq(_validate(encodeAssertion(a), hash), 1);
    }

    function testFuzz_tamperedEncodedSignature_neverAccepted(uint256 position, uint8 delta) public {
        bytes32 hash = keccak256("op");
        bytes memory sig = encodeAssertion(_signed(hash));
        position = bound(position, 0, sig.length - 1);
        delta = uint8(bound(delta, 1, 255));
        sig[position] = bytes1(uint8(sig[position]) ^ delta);
        // Flipping bytes in the ABI padding can leave the decoded fields unchanged: then it is still valid.
        // Otherwise it must be rejected, and validation must never revert either way.
        uint256 result = _validate(sig, hash);
        if (result == 0) {
            assertEq(keccak256(this._reencode(sig)), keccak256(encodeAssertion(_signed(hash))));
        }
    }

    function testFuzz_randomSignatureBytes_rejectedWithoutRevert(bytes memory sig, bytes32 hash) public {
        assertEq(_validate(sig, hash), 1);
    }

    function _reencode(bytes memory sig) external pure returns (bytes memory) {
        (bytes32 c, bytes memory ad, string memory cdj, uint256 ci, uint256 ti, uint256 oi, uint256 r, uint256 s) =
            abi.decode(sig, (bytes32, bytes, string, uint256, uint256, uint256, uint256, uint256));
        return abi.encode(c, ad, cdj, ci, ti, oi, r, s);
    }

    // ---------------------------------------------------------------- precompile vs Solidity fallback, gas

    /// @dev Makes 0x100 return nothing, as on a chain without the P-256 precompile (vm.etch refuses precompiles).
    function _disablePrecompile() internal {
        vm.mockCall(address(0x100), "", "");
    }

    function test_fallback_validAndInvalid() public {
        _disablePrecompile();
        bytes32 hash = keccak256("op");
        assertEq(_validate(encodeAssertion(_signed(hash)), hash), 0);
        Assertion memory a = _signed(keccak256("other"));
        assertEq(_validate(encodeAssertion(a), hash), 1);
        a = signAssertion(buildAssertion(keccak256(CRED), hash, rpIdHash, ORIGIN), KEY2);
        assertEq(_validate(encodeAssertion(a), hash), 1);
    }

    function test_gas_validateUserOp_precompileAndFallback() public {
        bytes32 hash = keccak256("user op hash");
        PackedUserOperation memory op = _userOp(encodeAssertion(_signed(hash)));

        vm.prank(account);
        uint256 before = gasleft();
        uint256 result = validator.validateUserOp(op, hash);
        uint256 withPrecompile = before - gasleft();
        assertEq(result, 0);

        _disablePrecompile();
        vm.prank(account);
        before = gasleft();
        result = validator.validateUserOp(op, hash);
        uint256 withFallback = before - gasleft();
        assertEq(result, 0);

        emit log_named_uint("validateUserOp gas, P-256 precompile", withPrecompile);
        emit log_named_uint("validateUserOp gas, Solidity fallback", withFallback);
        emit log_named_uint("signature bytes", op.signature.length);
    }

    /// @dev Same conditions for both (validator storage cooled after addOrigin): the bound-origin path reads no
    ///      extra storage; an allowed origin costs one more (cold) storage read.
    function test_gas_validateUserOp_boundVersusAllowedOrigin() public {
        vm.prank(account);
        validator.addOrigin(APP_ORIGIN);
        bytes32 hash = keccak256("user op hash");
        uint256 bound = _validateGasCold(_userOp(encodeAssertion(_signed(hash))), hash);
        uint256 allowed = _validateGasCold(_userOp(encodeAssertion(_signedAt(APP_ORIGIN, hash))), hash);
        emit log_named_uint("validateUserOp gas (cooled), passkey's own origin", bound);
        emit log_named_uint("validateUserOp gas (cooled), origin allowed by the account", allowed);
    }

    function _validateGasCold(PackedUserOperation memory op, bytes32 hash) internal returns (uint256 used) {
        vm.cool(address(validator));
        vm.prank(account);
        uint256 before = gasleft();
        uint256 result = validator.validateUserOp(op, hash);
        used = before - gasleft();
        assertEq(result, 0);
    }
}
