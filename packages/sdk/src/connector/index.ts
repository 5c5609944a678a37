// `@zksso/sdk/connector`: the browser-safe part of the SDK for dapps (no Node built-ins; a bundle test
// in bundle.test.ts keeps it so). viem and @wagmi/core are the dapp's own.
export {
  DEFAULT_POPUP_POLL_MS,
  DEFAULT_POPUP_TIMEOUT_MS,
  PopupCommunicator,
  type PopupCommunicatorOptions,
} from './communicator.ts';
export { type ZkSsoConnectorParameters, zksso } from './connector.ts';
export {
  announceZkSsoProvider,
  type Eip6963ProviderInfo,
  type Eip6963Target,
  ZKSSO_ICON,
  ZKSSO_RDNS,
} from './eip6963.ts';
export type { ProviderEvents, ProviderListener } from './emitter.ts';
export {
  DisconnectedError,
  errorFromWire,
  InvalidParamsError,
  PopupError,
  PROVIDER_ERROR_CODES,
  type ProviderErrorReason,
  ProviderRpcError,
  UnauthorizedError,
  UnsupportedChainError,
  UnsupportedMethodError,
  UserRejectedRequestError,
} from './errors.ts';
export {
  type GrantedPermissions,
  type GrantPermissionsRequest,
  SESSION_PERMISSION_TYPE,
  type SessionOptions,
  type SessionPermissionData,
  sessionPermission,
} from './permissions.ts';
export { PopupEndpointError, type PopupEndpointOptions, servePopupRequests } from './popup-endpoint.ts';
export {
  type DappInfo,
  dappOriginFromPopupUrl,
  errorMessage,
  exactOrigin,
  isPopupMethod,
  newRequestId,
  POPUP_METHODS,
  POPUP_PATH,
  type PopupMethod,
  PROTOCOL_VERSION,
  type ProtocolMessage,
  parseMessage,
  popupUrl,
  type ReadyMessage,
  type RequestMessage,
  type ResponseMessage,
  readyMessage,
  requestMessage,
  resultMessage,
  type WireError,
} from './protocol.ts';
export {
  createZkSsoProvider,
  type MethodRoute,
  methodRoute,
  type ZkSsoProvider,
  type ZkSsoProviderOptions,
} from './provider.ts';
export {
  createSdkSessionExecutor,
  isSessionRefusal,
  SESSION_REFUSAL_CODES,
  type SessionExecution,
  type SessionExecutionRequest,
  type SessionExecutor,
} from './session-executor.ts';
export { type SessionCall, type SessionMisfit, sessionFit } from './session-fit.ts';
export { defaultStorage, memoryStorage, type ProviderState, type StorageLike } from './storage.ts';
export type { HostWindowLike, MessageEventLike, MessageListener, WindowProxyLike } from './window-like.ts';
