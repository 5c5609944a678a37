// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {ExecutionLib} from "../../src/libraries/ExecutionLib.sol";
import {Execution, IERC7579Account} from "../../src/interfaces/IERC7579.sol";

/// @notice Exposes the library's calldata decoders.
contract ExecutionLibHarness {
    function single(bytes calldata data) external pure returns (address, uint256, bytes memory) {
        return ExecutionLib.decodeSingle(data);
    }

    function batch(bytes calldata data) external pure returns (Execution[] memory) {
        return ExecutionLib.decodeBatch(data);
    }

    function executeCall(bytes calldata data) external pure returns (bytes32, bytes memory) {
        return ExecutionLib.decodeExecuteCall(data);
    }
}

contract ExecutionLibTest is Test {
    ExecutionLibHarness internal h = new ExecutionLibHarness();

    function test_singleRoundTrip(address target, uint256 value, bytes calldata callData) public view {
        (address t, uint256 v, bytes memory d) = h.single(ExecutionLib.encodeSingle(target, value, callData));
        assertEq(t, target);
        assertEq(v, value);
        assertEq(d, callData);
    }

    function test_batchRoundTrip(address a, uint256 va, bytes calldata da, address b) public view {
        Execution[] memory calls = new Execution[](2);
        calls[0] = Execution(a, va, da);
        calls[1] = Execution(b, 0, "");
        Execution[] memory out = h.batch(ExecutionLib.encodeBatch(calls));
        assertEq(out.length, 2);
        assertEq(out[0].target, a);
        assertEq(out[0].value, va);
        assertEq(out[0].callData, da);
        assertEq(out[1].target, b);
    }

    function test_modeRoundTrip(bytes1 callType, bytes1 execType) public pure {
        (bytes1 c, bytes1 e) = ExecutionLib.decodeMode(ExecutionLib.encodeMode(callType, execType));
        assertEq(c == callType, true);
        assertEq(e == execType, true);
    }

    function test_executeCallRoundTrip(bytes32 mode, bytes calldata data) public view {
        (bytes32 m, bytes memory d) = h.executeCall(abi.encodeCall(IERC7579Account.execute, (mode, data)));
        assertEq(m, mode);
        assertEq(d, data);
    }

    function test_malformedRefused() public {
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.single(new bytes(51));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.batch(new bytes(31));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.batch(abi.encode(uint256(0x40)));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.batch(abi.encode(uint256(0x20), uint256(5)));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.executeCall(hex"e9ae5c53");
        vm.expectRevert(abi.encodeWithSelector(ExecutionLib.NotAnExecuteCall.selector, bytes4(0x12345678)));
        h.executeCall(abi.encodeWithSelector(bytes4(0x12345678), bytes32(0), bytes("")));
        vm.expectRevert(ExecutionLib.ExecutionDecodingError.selector);
        h.executeCall(abi.encodePacked(IERC7579Account.execute.selector, bytes32(0), uint256(0x1000)));
    }
}
