import { ZkSsoError } from '../errors.ts';

/**
 * Every code {@link SessionPolicyError} can carry. Stable: callers may switch on them.
 *
 * @example
 * ```ts
 * const code: SessionPolicyErrorCode = 'PERIOD_UNKNOWN_UNIT';
 * ```
 */
export type SessionPolicyErrorCode =
  | 'PERIOD_INVALID'
  | 'PERIOD_UNKNOWN_UNIT'
  | 'LIMIT_INVALID'
  | 'LIMIT_PERIOD_NOT_ALLOWED'
  | 'LIMIT_ALLOWANCE_WITHOUT_PERIOD'
  | 'LIMIT_UNLIMITED_WITH_VALUE'
  | 'VALUE_OUT_OF_RANGE'
  | 'SIGNER_INVALID'
  | 'SIGNER_ZERO'
  | 'TARGET_INVALID'
  | 'EXPIRES_AT_INVALID'
  | 'EXPIRES_AT_TOO_LARGE'
  | 'SESSION_EXPIRES_TOO_SOON'
  | 'FEE_LIMIT_UNLIMITED'
  | 'CALL_POLICY_SELECTOR_MISSING'
  | 'CALL_POLICY_SELECTOR_CONFLICT'
  | 'SELECTOR_INVALID'
  | 'FUNCTION_SIGNATURE_INVALID'
  | 'DUPLICATE_CALL_POLICY'
  | 'DUPLICATE_TRANSFER_POLICY'
  | 'CONSTRAINT_INDEX_INVALID'
  | 'CONSTRAINT_ON_DYNAMIC_ARGUMENT'
  | 'CONSTRAINT_ON_MULTI_WORD_ARGUMENT'
  | 'CONSTRAINT_CONDITION_INVALID'
  | 'CONSTRAINT_REF_VALUE_MISSING'
  | 'CONSTRAINT_REF_VALUE_TOO_LONG'
  | 'CONSTRAINT_REF_VALUE_INVALID'
  | 'CONSTRAINT_SIGNED_COMPARISON'
  | 'SESSION_SPEC_MALFORMED';

/**
 * A session policy that cannot be turned into a valid zksso/v1 `SessionSpec` (protocol §11).
 * `details.path` names the offending field (e.g. `contractCalls[1].constraints[0].refValue`).
 *
 * @example
 * ```ts
 * try {
 *   normalizeSession(input);
 * } catch (error) {
 *   if (error instanceof SessionPolicyError) console.warn(error.code, error.details.path);
 * }
 * ```
 */
export class SessionPolicyError extends ZkSsoError {
  declare readonly code: SessionPolicyErrorCode;

  constructor(
    code: SessionPolicyErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { details, cause });
  }
}
