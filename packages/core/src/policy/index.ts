export {
  argumentWordIndex,
  functionSelector,
  headWords,
  isDynamicParameter,
  parseFunction,
} from './abi.ts';
export { MAX_UINT48, MAX_UINT64, MAX_UINT256 } from './bounds.ts';
export { encodeRefValue, normalizeConstraint } from './constraint.ts';
export { decodeSessionSpec, encodeSessionSpec, sessionHash, sessionSpecAbi } from './encode.ts';
export { SessionPolicyError, type SessionPolicyErrorCode } from './errors.ts';
export { LIMIT_UNLIMITED, LIMIT_ZERO, normalizeLimit } from './limit.ts';
export { type NormalizeSessionOptions, normalizeSession } from './normalize.ts';
export { PERIOD_UNITS, parsePeriod } from './period.ts';
export {
  type CallPolicy,
  type CallSpec,
  type Constraint,
  ConstraintCondition,
  type ConstraintConditionName,
  type ConstraintSpec,
  type Limit,
  LimitType,
  type Period,
  type SessionInput,
  type SessionSpec,
  type TransferPolicy,
  type TransferSpec,
  type UsageLimit,
} from './types.ts';
