// Passkey accounts and recovery (issue #11, SDK slice): one export list for src/index.ts.
export type { SendCallsAccount } from '../actions/sendCalls.ts';
export { MODULE_TYPE, moduleManagementAbi, recoveryModuleAbi, webAuthnValidatorAbi } from './abi.ts';
export {
  type AddPasskeyErrorType,
  type AddPasskeyParameters,
  type AddPasskeyReturnType,
  addPasskey,
  addPasskeyCalls,
} from './addPasskey.ts';
export {
  type AddRecoveryCredentialErrorType,
  type AddRecoveryCredentialParameters,
  type AddRecoveryCredentialReturnType,
  addRecoveryCredential,
} from './addRecoveryCredential.ts';
export { checkAssertion } from './assertion.ts';
export type {
  PasskeyAuthenticator,
  PasskeyCreated,
  PasskeyCreateOptions,
  PasskeyGetOptions,
  PasskeyUserVerification,
} from './authenticator.ts';
export { browserAuthenticator } from './browser-authenticator.ts';
export {
  type CreatePasskeyAccountErrorType,
  type CreatePasskeyAccountParameters,
  type CreatePasskeyAccountReturnType,
  createPasskeyAccount,
} from './createPasskeyAccount.ts';
export {
  LastPasskeyError,
  PasskeyAssertionRefusedError,
  PasskeyNotFoundError,
  RecoveryNotReadyError,
  RecoveryNotRegisteredError,
  WebAuthnUnavailableError,
} from './errors.ts';
export {
  type ExecuteRecoveryErrorType,
  type ExecuteRecoveryParameters,
  type ExecuteRecoveryReturnType,
  executeRecovery,
} from './executeRecovery.ts';
export {
  type FindRecoverableAccountsErrorType,
  type FindRecoverableAccountsParameters,
  type FindRecoverableAccountsReturnType,
  findRecoverableAccounts,
  type RecoverableAccount,
} from './findRecoverableAccounts.ts';
export {
  type AccountPasskey,
  type AccountRecoveryCredential,
  type GetAccountCredentialsErrorType,
  type GetAccountCredentialsParameters,
  type GetAccountCredentialsReturnType,
  getAccountCredentials,
} from './getAccountCredentials.ts';
export {
  type InitiateRecoveryErrorType,
  type InitiateRecoveryParameters,
  type InitiateRecoveryReturnType,
  initiateRecovery,
} from './initiateRecovery.ts';
export {
  type LoginWithPasskeyErrorType,
  type LoginWithPasskeyParameters,
  type LoginWithPasskeyReturnType,
  loginWithPasskey,
} from './loginWithPasskey.ts';
export {
  isPasskeyAccount,
  type PasskeyCredential,
  type PasskeySmartAccount,
  passkeyAccountAddress,
  type ToPasskeySmartAccountParameters,
  toPasskeySmartAccount,
} from './passkey-account.ts';
export { hasP256Precompile, P256_PRECOMPILE, PASSKEY_VERIFICATION_GAS } from './precompile.ts';
export {
  type RecoveryCredential,
  type RecoveryTarget,
  readRecovery,
  recoveryCredentialData,
} from './recovery.ts';
export type { RecoverySender } from './recovery-sender.ts';
export {
  type RemovePasskeyErrorType,
  type RemovePasskeyParameters,
  type RemovePasskeyReturnType,
  removePasskey,
} from './removePasskey.ts';
export {
  type RemoveRecoveryCredentialErrorType,
  type RemoveRecoveryCredentialParameters,
  type RemoveRecoveryCredentialReturnType,
  removeRecoveryCredential,
} from './removeRecoveryCredential.ts';
export {
  type ReplaceOpenIdIdentityErrorType,
  type ReplaceOpenIdIdentityParameters,
  type ReplaceOpenIdIdentityReturnType,
  replaceOpenIdIdentity,
} from './replaceOpenIdIdentity.ts';
export { sendPasskeyCalls } from './send.ts';
export {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
  type SoftwareCredentialExport,
} from './software-authenticator.ts';
