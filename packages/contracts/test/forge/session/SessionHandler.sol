// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Vm} from "../utils/Test.sol";
import {IERC7579Account, IValidator, Execution} from "../../../src/interfaces/IERC7579.sol";
import {ExecutionLib} from "../../../src/libraries/ExecutionLib.sol";
import {SessionLib} from "../../../src/libraries/SessionLib.sol";
import {SessionKeyValidator} from "../../../src/validators/SessionKeyValidator.sol";
import {MockSessionAccount, MockSessionTarget} from "./SessionMocks.sol";

/// @notice Invariant-test handler: a session key that tries random transfers, token calls and batches, claiming
///         honest or dishonest times, between random warps. Each attempt runs as the EntryPoint would: validation,
///         then the time-range check on the returned validationData; any failure undoes the attempt. Accepted
///         spending is recorded per ACTUAL period (the period of block.timestamp), independently of the validator.
contract SessionHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant SESSION_PK = 0x5E55;
    address internal constant RECIPIENT = address(0xBEEF);

    uint48 public constant TRANSFER_PERIOD = 1 hours;
    uint256 public constant TRANSFER_ALLOWANCE = 100;
    uint256 public constant TRANSFER_MAX_PER_USE = 60;
    uint48 public constant TOKEN_PERIOD = 1 days;
    uint256 public constant TOKEN_ALLOWANCE = 1000;
    uint48 public constant FEE_PERIOD = 30 minutes;
    uint256 public constant OP_COST = 600_000 gwei; // (100k + 200k + 300k) gas * 1 gwei
    uint256 public constant FEE_ALLOWANCE = OP_COST * 5 / 2;

    SessionKeyValidator public immutable validator;
    MockSessionAccount public immutable account;
    MockSessionTarget public immutable target;
    bytes internal specEncoded;

    // ghost state: accepted spending per actual period id
    mapping(uint256 hourId => uint256) public transferSpent;
    mapping(uint256 dayId => uint256) public tokenSpent;
    mapping(uint256 halfHourId => uint256) public feeSpent;
    uint256[] public touchedTimes;
    uint256 public accepted;
    uint256 public refused;
    uint256 private nonce;

    constructor() {
        validator = new SessionKeyValidator();
        account = new MockSessionAccount();
        target = new MockSessionTarget();
        SessionLib.SessionSpec memory spec;
        spec.signer = vm.addr(SESSION_PK);
        spec.expiresAt = uint48(block.timestamp + 3650 days);
        spec.feeLimit = SessionLib.UsageLimit(SessionLib.LimitType.Allowance, FEE_ALLOWANCE, FEE_PERIOD);
        spec.transferPolicies = new SessionLib.TransferSpec[](1);
        spec.transferPolicies[0] = SessionLib.TransferSpec(
            RECIPIENT,
            TRANSFER_MAX_PER_USE,
            SessionLib.UsageLimit(SessionLib.LimitType.Allowance, TRANSFER_ALLOWANCE, TRANSFER_PERIOD)
        );
        SessionLib.Constraint[] memory constraints = new SessionLib.Constraint[](1);
        constraints[0] = SessionLib.Constraint(
            SessionLib.Condition.LessOrEqual,
            1,
            bytes32(uint256(700)),
            SessionLib.UsageLimit(SessionLib.LimitType.Allowance, TOKEN_ALLOWANCE, TOKEN_PERIOD)
        );
        spec.callPolicies = new SessionLib.CallSpec[](1);
        spec.callPolicies[0] = SessionLib.CallSpec(
            address(target),
            MockSessionTarget.transfer.selector,
            0,
            SessionLib.UsageLimit(SessionLib.LimitType.Unlimited, 0, 0),
            constraints
        );
        specEncoded = abi.encode(spec);
        account.exec(address(validator), abi.encodeCall(validator.onInstall, (specEncoded)));
    }

    function spec() public view returns (SessionLib.SessionSpec memory) {
        return abi.decode(specEncoded, (SessionLib.SessionSpec));
    }

    function touchedCount() external view returns (uint256) {
        return touchedTimes.length;
    }

    // ---- actions (the fuzzer calls these) ----

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % (3 hours)));
    }

    function sendValue(uint256 amount, uint256 skew) external {
        amount = amount % (TRANSFER_MAX_PER_USE + 20);
        Execution[] memory ex = new Execution[](1);
        ex[0] = Execution(RECIPIENT, amount, "");
        _attempt(_single(ex[0]), amount, 0, skew);
    }

    function sendTokens(uint256 amount, uint256 skew) external {
        amount = amount % 800;
        _attempt(_single(Execution(address(target), 0, _tokenCall(amount))), 0, amount, skew);
    }

    function sendBatch(uint256 value, uint256 tokens, uint256 value2, uint256 skew) external {
        value = value % (TRANSFER_MAX_PER_USE + 20);
        value2 = value2 % (TRANSFER_MAX_PER_USE + 20);
        tokens = tokens % 800;
        Execution[] memory ex = new Execution[](3);
        ex[0] = Execution(RECIPIENT, value, "");
        ex[1] = Execution(address(target), 0, _tokenCall(tokens));
        ex[2] = Execution(RECIPIENT, value2, "");
        bytes memory callData = abi.encodeCall(
            IERC7579Account.execute, (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_BATCH, 0x00), abi.encode(ex))
        );
        _attempt(callData, value + value2, tokens, skew);
    }

    // ---- the EntryPoint's view of one op ----

    /// @dev Validation + time-range check, reverting (so undoing the validator's writes) if the op would fail.
    function simulate(bytes calldata callData, uint48 validAt) external {
        require(msg.sender == address(this), "self only");
        PackedUserOperation memory op;
        op.sender = address(account);
        op.nonce = ++nonce;
        op.callData = callData;
        op.accountGasLimits = bytes32((uint256(200_000) << 128) | 300_000);
        op.preVerificationGas = 100_000;
        op.gasFees = bytes32((uint256(1) << 128) | 1 gwei);
        bytes32 h = keccak256(abi.encode(op.nonce, callData, validAt));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SESSION_PK, h);
        op.signature = abi.encode(abi.encodePacked(r, s, v), spec(), validAt);
        uint256 data = account.validate(IValidator(address(validator)), op, h);
        require(uint160(data) == 0, "AA24 signature error");
        uint48 validUntil = uint48(data >> 160);
        uint48 validAfter = uint48(data >> 208);
        require(block.timestamp > validAfter, "AA22 not due");
        require(validUntil == 0 || block.timestamp <= validUntil, "AA22 expired");
    }

    function _attempt(bytes memory callData, uint256 value, uint256 tokens, uint256 skew) internal {
        // claim the honest time, or a time up to 2 days off either way (an attacker trying another period)
        uint256 mode = skew % 3;
        uint256 offset = (skew >> 8) % 2 days;
        uint256 claimed = block.timestamp;
        if (mode == 1) claimed += offset;
        else if (mode == 2 && offset < claimed) claimed -= offset;
        try this.simulate(callData, uint48(claimed)) {
            accepted++;
            transferSpent[block.timestamp / TRANSFER_PERIOD] += value;
            tokenSpent[block.timestamp / TOKEN_PERIOD] += tokens;
            feeSpent[block.timestamp / FEE_PERIOD] += OP_COST;
            touchedTimes.push(block.timestamp);
        } catch {
            refused++;
        }
    }

    function _single(Execution memory e) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IERC7579Account.execute,
            (ExecutionLib.encodeMode(ExecutionLib.CALLTYPE_SINGLE, 0x00), abi.encodePacked(e.target, e.value, e.callData))
        );
    }

    function _tokenCall(uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeCall(MockSessionTarget.transfer, (RECIPIENT, amount));
    }
}
