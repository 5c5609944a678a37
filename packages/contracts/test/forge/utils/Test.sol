// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The cheatcodes our forge tests use (forge's HEVM interface, declared as forge defines them).
/// @dev forge-std is not installable offline (its npm copy needs ds-test, which is not on npm), so we declare
///      the subset we use. Add a cheatcode here with forge's exact signature when a test needs it.
interface Vm {
    // Environment
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function deal(address account, uint256 newBalance) external;
    function etch(address target, bytes calldata newRuntimeBytecode) external;
    function store(address target, bytes32 slot, bytes32 value) external;
    function load(address target, bytes32 slot) external view returns (bytes32 data);
    function chainId(uint256 newChainId) external;
    function fee(uint256 newBasefee) external;
    function cool(address target) external;
    function txGasPrice(uint256 newGasPrice) external;
    // Callers
    function prank(address msgSender) external;
    function prank(address msgSender, address txOrigin) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    // Expectations
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(address emitter) external;
    function expectCall(address callee, bytes calldata data) external;
    // Mocks (a mocked precompile lets tests force the P-256 Solidity fallback: etch refuses precompiles)
    function mockCall(address callee, bytes calldata data, bytes calldata returnData) external;
    function clearMockedCalls() external;
    function assume(bool condition) external pure;
    // Keys and signatures
    function addr(uint256 privateKey) external pure returns (address keyAddr);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function signP256(uint256 privateKey, bytes32 digest) external pure returns (bytes32 r, bytes32 s);
    function publicKeyP256(uint256 privateKey) external pure returns (uint256 publicKeyX, uint256 publicKeyY);
    // Logs, labels, state
    function label(address account, string calldata newLabel) external;
    function recordLogs() external;
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);
    function readFile(string calldata path) external view returns (string memory data);
    function getCode(string calldata artifactPath) external view returns (bytes memory creationBytecode);
    // Assertions (forge cheatcodes: a failed one reverts with a readable message)
    function assertTrue(bool condition) external pure;
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(bool left, bool right) external pure;
    function assertEq(uint256 left, uint256 right) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(int256 left, int256 right) external pure;
    function assertEq(address left, address right) external pure;
    function assertEq(address left, address right, string calldata error) external pure;
    function assertEq(bytes32 left, bytes32 right) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata error) external pure;
    function assertEq(bytes calldata left, bytes calldata right) external pure;
    function assertEq(string calldata left, string calldata right) external pure;
    function assertNotEq(uint256 left, uint256 right) external pure;
    function assertNotEq(address left, address right) external pure;
    function assertNotEq(bytes32 left, bytes32 right) external pure;
    function assertGt(uint256 left, uint256 right) external pure;
    function assertGe(uint256 left, uint256 right) external pure;
    function assertGe(uint256 left, uint256 right, string calldata error) external pure;
    function assertLt(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right) external pure;
    function assertLe(uint256 left, uint256 right, string calldata error) external pure;
}

/// @notice Minimal base for forge tests: the `vm` handle, assertion shorthands and `bound`.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    bool public IS_TEST = true;

    function assertTrue(bool condition) internal pure { vm.assertTrue(condition); }
    function assertTrue(bool condition, string memory error) internal pure { vm.assertTrue(condition, error); }
    function assertFalse(bool condition) internal pure { vm.assertFalse(condition); }
    function assertEq(bool left, bool right) internal pure { vm.assertEq(left, right); }
    function assertEq(uint256 left, uint256 right) internal pure { vm.assertEq(left, right); }
    function assertEq(uint256 left, uint256 right, string memory error) internal pure { vm.assertEq(left, right, error); }
    function assertEq(address left, address right) internal pure { vm.assertEq(left, right); }
    function assertEq(bytes32 left, bytes32 right) internal pure { vm.assertEq(left, right); }
    function assertEq(bytes memory left, bytes memory right) internal pure { vm.assertEq(left, right); }
    function assertEq(string memory left, string memory right) internal pure { vm.assertEq(left, right); }
    function assertGt(uint256 left, uint256 right) internal pure { vm.assertGt(left, right); }
    function assertGe(uint256 left, uint256 right) internal pure { vm.assertGe(left, right); }
    function assertLt(uint256 left, uint256 right) internal pure { vm.assertLt(left, right); }
    function assertLe(uint256 left, uint256 right) internal pure { vm.assertLe(left, right); }

    /// @dev Maps `x` into [min, max] uniformly enough for fuzzing (same contract as forge-std's `bound`).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        return min + (x % size);
    }
}
