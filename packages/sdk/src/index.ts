export { toSessionSmartAccount } from './accounts/session-account.ts';
export {
  type ZkLoginSignatureMode,
  type ZkLoginSmartAccount,
  zkLoginValidatorKeyAbi,
} from './accounts/zklogin-account.ts';
export { createSession, type SessionPolicy } from './actions/createSession.ts';
export { type CreateZkLoginAccountParameters, createZkLoginAccount } from './actions/createZkLoginAccount.ts';
export { getSessionState } from './actions/getSessionState.ts';
export { restoreZkLoginAccount } from './actions/restoreZkLoginAccount.ts';
export { revokeSession } from './actions/revokeSession.ts';
export { type Call, EXPIRY_MARGIN_SECONDS, type SendCallsResult, sendCalls } from './actions/sendCalls.ts';
export { sendSessionCalls } from './actions/sendSessionCalls.ts';
export { createZkSsoClients, networkChain, type ZkSsoClients } from './clients.ts';
export {
  CallsRevertedError,
  DevStackNotRunningError,
  EphemeralKeyExpiredError,
  ProofRefusedError,
  ServiceError,
  type SessionLimitExceededDetails,
  SessionLimitExceededError,
  type SessionLimitPolicy,
  SessionNotActiveError,
  SessionPolicyViolationError,
  WrongChainError,
  type ZkSsoService,
} from './errors.ts';
export type { UserOperationGas } from './gas.ts';
export { fetchIdToken, type IdTokenSource } from './id-token.ts';
export { devStackNetwork, devStackStateDir, loadDevStackNetwork, type ZkSsoNetwork } from './network.ts';
export {
  type SessionRecord,
  type SessionSpecJson,
  sessionSpecFromJson,
  sessionSpecToJson,
  type UsageLimitJson,
} from './session-record.ts';
export { type SessionLimitState, type SessionState, toSessionState } from './session-state.ts';
export { parseZkLoginSession, type ZkLoginSession } from './zklogin-session.ts';
