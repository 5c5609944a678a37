// The Node server scaffolding the zkSSO web apps (apps/auth-server, apps/demo) share; each app keeps only its
// own routes, configuration and Content-Security-Policy sources.
export { STALE_LOCK_MS, withBuildLock } from './buildLock.ts';
export {
  BUILD_STAMP_FILE,
  type EnsureViteAppBuiltParameters,
  type EnsureViteAppBuiltReturnType,
  ensureViteAppBuilt,
  type ViteAppBuildReasonParameters,
  type ViteAppBuildReasonReturnType,
  viteAppBuildReason,
} from './ensureViteAppBuilt.ts';
export { newestMtime } from './newestMtime.ts';
export {
  MAX_PROXY_BODY_BYTES,
  PASSED_HEADERS,
  type ProxyRequestParameters,
  proxyRequest,
} from './proxyRequest.ts';
export {
  BASE_SECURITY_HEADERS,
  type StrictContentSecurityPolicyParameters,
  strictContentSecurityPolicy,
} from './securityHeaders.ts';
export { sendJson, sendMethodNotAllowed } from './sendJson.ts';
export {
  type BuiltFiles,
  CONTENT_TYPES,
  resolveBuiltFile,
  type ServeBuiltFileParameters,
  serveBuiltFile,
} from './serveBuiltFile.ts';
export { type RunningHttpServer, type StartHttpServerOptions, startHttpServer } from './startHttpServer.ts';
