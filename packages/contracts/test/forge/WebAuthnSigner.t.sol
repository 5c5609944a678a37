// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Test} from "./utils/Test.sol";

/// @notice Builds WebAuthn assertions in tests the way a browser and authenticator would: authenticatorData =
///         rpIdHash ‖ flags ‖ signCount, clientDataJSON = {"type","challenge","origin","crossOrigin"}, and a P-256
///         signature (vm.signP256) over sha256(authenticatorData ‖ sha256(clientDataJSON)), s normalised low.
abstract contract WebAuthnSigner is Test {
    uint256 internal constant P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;
    bytes1 internal constant FLAGS_UP_UV = 0x05;

    /// @notice The pieces of one assertion; tests tamper with them before signing or encoding.
    struct Assertion {
        bytes32 credentialIdHash;
        bytes authenticatorData;
        string clientDataJSON;
        uint256 challengeIndex;
        uint256 typeIndex;
        uint256 originIndex;
        uint256 r;
        uint256 s;
    }

    /// @notice A well-formed assertion for `challenge` from `origin` (unsigned: call {signAssertion}).
    function buildAssertion(bytes32 credentialIdHash, bytes32 challenge, bytes32 rpIdHash, string memory origin)
        internal
        pure
        returns (Assertion memory a)
    {
        return buildAssertionRaw(
            credentialIdHash,
            "webauthn.get",
            Base64.encodeURL(abi.encodePacked(challenge)),
            origin,
            abi.encodePacked(rpIdHash, FLAGS_UP_UV, uint32(7))
        );
    }

    /// @notice An assertion with every field chosen by the caller (type, encoded challenge, authenticatorData).
    function buildAssertionRaw(
        bytes32 credentialIdHash,
        string memory type_,
        string memory encodedChallenge,
        string memory origin,
        bytes memory authenticatorData
    ) internal pure returns (Assertion memory a) {
        string memory head = '{"type":"';
        string memory typePart = string.concat(head, type_, '",');
        string memory challengePart = string.concat('"challenge":"', encodedChallenge, '",');
        string memory originPart = string.concat('"origin":"', origin, '",');
        a.credentialIdHash = credentialIdHash;
        a.authenticatorData = authenticatorData;
        a.clientDataJSON = string.concat(typePart, challengePart, originPart, '"crossOrigin":false}');
        a.typeIndex = 1;
        a.challengeIndex = bytes(typePart).length;
        a.originIndex = bytes(typePart).length + bytes(challengePart).length;
    }

    /// @notice Signs `a` with P-256 key `privateKey` (low-s), as an authenticator does.
    function signAssertion(Assertion memory a, uint256 privateKey) internal pure returns (Assertion memory) {
        bytes32 digest = sha256(abi.encodePacked(a.authenticatorData, sha256(bytes(a.clientDataJSON))));
        (bytes32 r, bytes32 s) = vm.signP256(privateKey, digest);
        uint256 sv = uint256(s);
        if (sv > P256_N / 2) sv = P256_N - sv;
        a.r = uint256(r);
        a.s = sv;
        return a;
    }

    /// @notice The validator signature layout (docs/contracts.md, WebAuthnValidator).
    function encodeAssertion(Assertion memory a) internal pure returns (bytes memory) {
        return abi.encode(
            a.credentialIdHash,
            a.authenticatorData,
            a.clientDataJSON,
            a.challengeIndex,
            a.typeIndex,
            a.originIndex,
            a.r,
            a.s
        );
    }
}
