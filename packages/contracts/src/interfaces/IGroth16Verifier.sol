// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IGroth16Verifier
/// @notice The shape of snarkjs's generated Groth16 (BN254) Solidity verifier for the zkLogin circuit, whose six
///         public inputs are (issHash, idc, ephHi, ephLo, expiry, modulusHash) (protocol §8).
/// @dev `b` is in EIP-197 order: ((x.c1, x.c0), (y.c1, y.c0)).
interface IGroth16Verifier {
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[6] calldata pubSignals
    ) external view returns (bool);
}
