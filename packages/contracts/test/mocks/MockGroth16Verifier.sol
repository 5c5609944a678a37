// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGroth16Verifier} from "../../src/interfaces/IGroth16Verifier.sol";

/// @title MockGroth16Verifier
/// @notice TEST ONLY. Accepts a "proof" whose `a[0]` is keccak256(abi.encode(pubSignals)), so tests can check
///         that the validator assembles exactly the public inputs of protocol §8 without a real circuit.
contract MockGroth16Verifier is IGroth16Verifier {
    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata, uint256[2] calldata, uint256[6] calldata pub)
        external
        pure
        returns (bool)
    {
        return a[0] == uint256(keccak256(abi.encode(pub)));
    }
}
