export { toSessionSmartAccount } from './accounts/session-account.ts';
export {
  toZkSsoOpenIdAccount,
  type ZkLoginSignatureMode,
  type ZkLoginSmartAccount,
  type ZkSsoOpenIdAccount,
  type ZkSsoOpenIdAccountParameters,
} from './accounts/zklogin-account.ts';
export {
  type CreateSessionErrorType,
  type CreateSessionParameters,
  type CreateSessionReturnType,
  createSession,
  type SessionPolicy,
} from './actions/createSession.ts';
export {
  type CreateZkLoginAccountErrorType,
  type CreateZkLoginAccountParameters,
  type CreateZkLoginAccountReturnType,
  createZkLoginAccount,
} from './actions/createZkLoginAccount.ts';
export {
  type GetSessionStateErrorType,
  type GetSessionStateParameters,
  type GetSessionStateReturnType,
  getSessionState,
} from './actions/getSessionState.ts';
export {
  type RestoreZkLoginAccountErrorType,
  type RestoreZkLoginAccountParameters,
  type RestoreZkLoginAccountReturnType,
  restoreZkLoginAccount,
} from './actions/restoreZkLoginAccount.ts';
export {
  type RevokeSessionErrorType,
  type RevokeSessionParameters,
  type RevokeSessionReturnType,
  revokeSession,
} from './actions/revokeSession.ts';
export {
  type Call,
  EXPIRY_MARGIN_SECONDS,
  type SendCallsAccount,
  type SendCallsErrorType,
  type SendCallsParameters,
  type SendCallsResult,
  type SendCallsReturnType,
  type SendCallsSignatureMode,
  sendCalls,
} from './actions/sendCalls.ts';
export {
  type SendSessionCallsErrorType,
  type SendSessionCallsParameters,
  type SendSessionCallsReturnType,
  sendSessionCalls,
} from './actions/sendSessionCalls.ts';
export { createZkSsoClients, networkChain, userOperationFees, type ZkSsoClients } from './clients.ts';
export * from './contracts/index.ts';
export {
  type DevLoginErrorType,
  type DevLoginParameters,
  type DevLoginReturnType,
  devLogin,
} from './dev-login.ts';
export {
  CallsRevertedError,
  type CallWouldRevertDetails,
  CallWouldRevertError,
  ChainChangedError,
  DevStackNotRunningError,
  EphemeralKeyExpiredError,
  insufficientBalance,
  LoginRefusedError,
  ProofRefusedError,
  type RevertKind,
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
export { assertSameGenesis } from './genesis.ts';
export {
  DEFAULT_HTTP_TIMEOUT_MS,
  fetchTransport,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from './http.ts';
export { fetchIdToken, type IdTokenSource } from './id-token.ts';
export {
  type DevStackReady,
  devStackNetwork,
  eventsFromBlock,
  InvalidNetworkError,
  isLocalNetwork,
  LOCAL_POLLING_INTERVAL_MS,
  PUBLIC_POLLING_INTERVAL_MS,
  parseZkSsoNetwork,
  pollingIntervalOf,
  type ZkSsoNetwork,
} from './network.ts';
export * from './passkey/index.ts';
export { decodeRevertReason, type RevertReason, tokenErrorsAbi } from './revert-reason.ts';
export {
  type SessionRecord,
  type SessionSpecJson,
  sessionSpecFromJson,
  sessionSpecToJson,
  type UsageLimitJson,
} from './session-record.ts';
export { type SessionLimitState, type SessionState, toSessionState } from './session-state.ts';
export { assertCallsWouldSucceed, maxOperationFee, type OperationGas } from './simulate.ts';
export type { SendOptions, SendStep } from './submit.ts';
export { readTokenUnit } from './token-unit.ts';
export { formatEth, formatLimitAmount, formatTokenAmount, type TokenUnit } from './units.ts';
export { parseZkLoginSession, type ZkLoginSession } from './zklogin-session.ts';
