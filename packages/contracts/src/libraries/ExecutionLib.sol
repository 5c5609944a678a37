// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Execution, IERC7579Account} from "../interfaces/IERC7579.sol";

/// @title ExecutionLib
/// @notice Encoding and bounds-checked decoding of ERC-7579 execution modes and execution calldata.
/// @dev Mode (bytes32, ERC-7579 ModeLib): byte 0 callType (0x00 single, 0x01 batch, 0xff delegatecall),
///      byte 1 execType (0x00 revert on failure, 0x01 try), bytes 2..5 unused, 6..9 selector, 10..31 payload.
///      Single: `abi.encodePacked(address target, uint256 value, bytes callData)`.
///      Batch: `abi.encode(Execution[])`.
library ExecutionLib {
    bytes1 internal constant CALLTYPE_SINGLE = 0x00;
    bytes1 internal constant CALLTYPE_BATCH = 0x01;
    bytes1 internal constant CALLTYPE_DELEGATECALL = 0xff;
    bytes1 internal constant EXECTYPE_DEFAULT = 0x00;
    bytes1 internal constant EXECTYPE_TRY = 0x01;

    /// @notice The execution calldata is shorter than its encoding requires or its offsets point outside it.
    error ExecutionDecodingError();
    /// @notice The user operation's callData does not call `IERC7579Account.execute`.
    error NotAnExecuteCall(bytes4 selector);

    /// @notice Builds a mode word from a callType and execType (selector and payload zero).
    function encodeMode(bytes1 callType, bytes1 execType) internal pure returns (bytes32) {
        return bytes32(callType) | (bytes32(execType) >> 8);
    }

    /// @notice Splits a mode word into its callType and execType.
    function decodeMode(bytes32 mode) internal pure returns (bytes1 callType, bytes1 execType) {
        callType = bytes1(mode);
        execType = bytes1(mode << 8);
    }

    /// @notice `abi.encodePacked(target, value, callData)`.
    function encodeSingle(address target, uint256 value, bytes memory callData) internal pure returns (bytes memory) {
        return abi.encodePacked(target, value, callData);
    }

    /// @notice `abi.encode(executions)`.
    function encodeBatch(Execution[] memory executions) internal pure returns (bytes memory) {
        return abi.encode(executions);
    }

    /// @notice Decodes single-call execution calldata (at least 52 bytes: target 20, value 32, callData rest).
    function decodeSingle(bytes calldata executionCalldata)
        internal
        pure
        returns (address target, uint256 value, bytes calldata callData)
    {
        if (executionCalldata.length < 52) revert ExecutionDecodingError();
        target = address(bytes20(executionCalldata[0:20]));
        value = uint256(bytes32(executionCalldata[20:52]));
        callData = executionCalldata[52:];
    }

    /// @notice Decodes batch execution calldata `abi.encode(Execution[])` in place (no copy).
    /// @dev Checks that the array head lies inside the buffer; each element's own offsets are checked by the
    ///      compiler's calldata accessors when an element is read (out-of-range reads revert).
    function decodeBatch(bytes calldata executionCalldata) internal pure returns (Execution[] calldata executions) {
        uint256 length = executionCalldata.length;
        if (length < 32) revert ExecutionDecodingError();
        uint256 arrayOffset = uint256(bytes32(executionCalldata[0:32]));
        // The length word must fit: arrayOffset + 32 <= length (written to avoid overflow).
        if (arrayOffset > length - 32) revert ExecutionDecodingError();
        uint256 count = uint256(bytes32(executionCalldata[arrayOffset:arrayOffset + 32]));
        // Each element has a 32-byte offset word after the length word.
        if (count > type(uint32).max || (length - arrayOffset - 32) < count * 32) revert ExecutionDecodingError();
        assembly ("memory-safe") {
            // Point the calldata array at the first element's offset word; Solidity resolves element offsets
            // relative to this position, as ABI encoding prescribes for dynamic-element arrays.
            executions.offset := add(add(executionCalldata.offset, arrayOffset), 32)
            executions.length := count
        }
    }

    /// @notice Decodes a user operation's callData that calls `execute(bytes32 mode, bytes executionCalldata)`.
    /// @dev Used by validators that restrict what a signature may authorise (session keys, paymaster policy).
    function decodeExecuteCall(bytes calldata callData)
        internal
        pure
        returns (bytes32 mode, bytes calldata executionCalldata)
    {
        if (callData.length < 4 + 64) revert ExecutionDecodingError();
        bytes4 selector = bytes4(callData[0:4]);
        if (selector != IERC7579Account.execute.selector) revert NotAnExecuteCall(selector);
        bytes calldata args = callData[4:];
        mode = bytes32(args[0:32]);
        uint256 offset = uint256(bytes32(args[32:64]));
        if (offset > args.length - 32) revert ExecutionDecodingError();
        uint256 dataLength = uint256(bytes32(args[offset:offset + 32]));
        if (dataLength > args.length - offset - 32) revert ExecutionDecodingError();
        executionCalldata = args[offset + 32:offset + 32 + dataLength];
    }
}
