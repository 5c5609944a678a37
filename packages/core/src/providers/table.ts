import { MICROSOFT_ISSUER_PATTERN } from './microsoft.ts';
import type { OpenIdProvider, ProviderId } from './types.ts';

// Sources (checked with public documentation; anything not confirmed is marked "unverified"):
// - Google: discovery document (https://accounts.google.com/.well-known/openid-configuration) as
//   quoted publicly: issuer, authorization/token endpoints, jwks_uri, RS256; Sui zkLogin docs use
//   `response_type=id_token&scope=openid&nonce=…` on /o/oauth2/v2/auth. The legacy issuer
//   `accounts.google.com` (no scheme): Google's ID token docs (unverified here; kept because Google
//   documents both forms and protocol §3 normalises it).
// - Facebook: developers.facebook.com "OIDC Token for Limited Login" (discovery and JWKS under
//   https://www.facebook.com/.well-known/…; newer pages show limited.facebook.com) and "Manually Build a
//   Login Flow" (https://www.facebook.com/v21.0/dialog/oauth). Issuer `https://www.facebook.com` and the
//   implicit `response_type=id_token` with `nonce` (as Sui zkLogin uses it): unverified.
// - Twitch: dev.twitch.tv "Getting tokens: OIDC" (discovery document quoted there: issuer, endpoints,
//   jwks_uri, RS256, claims_parameter_supported; implicit `response_type=id_token`, `claims`, `nonce`).
// - Kakao: Kakao developers docs and public code (issuer https://kauth.kakao.com, /oauth/authorize,
//   /oauth/token, /.well-known/jwks.json); the `nonce` authorization parameter: Kakao SDK reference.
// - Apple: developer.apple.com "Request an authorization to the Sign in with Apple server" and the DTS
//   answer in forums thread 660531 (id_token needs response_mode fragment or form_post; scopes need
//   form_post). JWKS https://appleid.apple.com/auth/keys and token endpoint /auth/token: unverified.
//   `email_verified` may be the string "true" (Auth.js AppleProfile, protocol §4).
// - Slack: api.slack.com "Sign in with Slack" (/openid/connect/authorize, openid.connect.token, scopes
//   openid/email/profile) and docs.slack.dev openid.connect.token (POST, form-encoded, redirect_uri must
//   repeat the one sent). Issuer https://slack.com and JWKS https://slack.com/openid/connect/keys: unverified.
// - Microsoft: learn.microsoft.com ID token reference (v2.0 /common/oauth2/v2.0/authorize), consumer
//   tenant 9188040d-… (public go-oidc/dex issue threads). JWKS path /discovery/v2.0/keys: unverified.

const google: OpenIdProvider = {
  id: 'google',
  name: 'Google',
  issuers: ['https://accounts.google.com', 'accounts.google.com'],
  discoveryUrl: 'https://accounts.google.com/.well-known/openid-configuration',
  jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  responseType: 'id_token',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: true,
  quirks: [
    'Two issuer forms: https://accounts.google.com and the legacy accounts.google.com (normalised by protocol §3).',
    'Implicit flow: the ID token arrives in the URL fragment; nonce is required.',
  ],
};

const facebook: OpenIdProvider = {
  id: 'facebook',
  name: 'Facebook',
  issuers: ['https://www.facebook.com'],
  discoveryUrl: 'https://www.facebook.com/.well-known/openid-configuration/',
  jwksUri: 'https://www.facebook.com/.well-known/oauth/openid/jwks/',
  authorizationEndpoint: 'https://www.facebook.com/v21.0/dialog/oauth',
  responseType: 'id_token',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: false,
  quirks: [
    'The login dialog URL carries a Graph API version (v21.0 here); override authorizationEndpoint to move.',
    'Implicit id_token with nonce (as Sui zkLogin uses it; unverified in Facebook docs); the documented alternative is the OIDC code flow with PKCE, or Limited Login on iOS.',
    'Discovery and JWKS URLs end with a slash; newer docs show limited.facebook.com for Limited Login.',
    'Facebook does not promise email_verified: do not use email as key claim.',
  ],
};

const twitch: OpenIdProvider = {
  id: 'twitch',
  name: 'Twitch',
  issuers: ['https://id.twitch.tv/oauth2'],
  discoveryUrl: 'https://id.twitch.tv/oauth2/.well-known/openid-configuration',
  jwksUri: 'https://id.twitch.tv/oauth2/keys',
  authorizationEndpoint: 'https://id.twitch.tv/oauth2/authorize',
  tokenEndpoint: 'https://id.twitch.tv/oauth2/token',
  responseType: 'id_token',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: true,
  quirks: [
    'Claims beyond the defaults (email, email_verified, preferred_username…) must be asked for with the `claims` parameter, e.g. {"id_token":{"email":null,"email_verified":null}}.',
    'The issuer has a path (/oauth2), so the discovery URL is under it.',
  ],
};

const kakao: OpenIdProvider = {
  id: 'kakao',
  name: 'Kakao',
  issuers: ['https://kauth.kakao.com'],
  discoveryUrl: 'https://kauth.kakao.com/.well-known/openid-configuration',
  jwksUri: 'https://kauth.kakao.com/.well-known/jwks.json',
  authorizationEndpoint: 'https://kauth.kakao.com/oauth/authorize',
  tokenEndpoint: 'https://kauth.kakao.com/oauth/token',
  responseType: 'code',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: false,
  quirks: [
    'Code flow only: exchange the code at https://kauth.kakao.com/oauth/token (buildTokenExchangeRequest); the response carries id_token when OpenID Connect is enabled for the app.',
    'client_id is the app’s REST API key; client_secret is needed only when enabled in the console.',
    'Ordinary Kakao scopes (profile_nickname, account_email…) may be added; only openid is needed.',
  ],
};

const apple: OpenIdProvider = {
  id: 'apple',
  name: 'Apple',
  issuers: ['https://appleid.apple.com'],
  discoveryUrl: 'https://appleid.apple.com/.well-known/openid-configuration',
  jwksUri: 'https://appleid.apple.com/auth/keys',
  authorizationEndpoint: 'https://appleid.apple.com/auth/authorize',
  tokenEndpoint: 'https://appleid.apple.com/auth/token',
  responseType: 'code id_token',
  responseMode: 'form_post',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: true,
  quirks: [
    'response_mode=form_post: the ID token is POSTed to the redirect URI, so it must be a server endpoint.',
    'email_verified (and is_private_email) may be the string "true" instead of a boolean.',
    'The user’s name is sent only on the first authorization, outside the ID token.',
  ],
};

const slack: OpenIdProvider = {
  id: 'slack',
  name: 'Slack',
  issuers: ['https://slack.com'],
  discoveryUrl: 'https://slack.com/.well-known/openid-configuration',
  jwksUri: 'https://slack.com/openid/connect/keys',
  authorizationEndpoint: 'https://slack.com/openid/connect/authorize',
  tokenEndpoint: 'https://slack.com/api/openid.connect.token',
  responseType: 'code',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: true,
  quirks: [
    'Code flow only: exchange the code with the openid.connect.token method (client_secret required); errors come back as HTTP 200 with {"ok":false,"error":…}.',
    'redirect_uri must be repeated in the token request when it was sent to /openid/connect/authorize.',
    'sub is the user id within one workspace (see the https://slack.com/team_id claim).',
  ],
};

const microsoft: OpenIdProvider = {
  id: 'microsoft',
  name: 'Microsoft',
  issuers: [],
  issuerPattern: MICROSOFT_ISSUER_PATTERN,
  discoveryUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  jwksUri: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
  authorizationEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  responseType: 'id_token',
  scopes: ['openid'],
  keyClaim: 'sub',
  emailKeyClaimAllowed: false,
  quirks: [
    'The issuer is per tenant: https://login.microsoftonline.com/{tenantid}/v2.0; personal accounts use tenant 9188040d-6c67-4c5b-b112-36a304b66dad.',
    'Authorities common / organizations / consumers (or a tenant id) choose who may sign in; the common discovery document shows the issuer template with {tenantid}.',
    'The email claim is not verified by Microsoft: never use it as key claim.',
    'sub is pairwise (differs per application); oid is the stable object id within a tenant.',
  ],
};

/**
 * The seven built-in providers, by id (a frozen reference table; see each entry's `quirks`).
 *
 * @example
 * ```ts
 * PROVIDERS.apple.responseMode; // 'form_post'
 * ```
 */
export const PROVIDERS: Readonly<Record<ProviderId, OpenIdProvider>> = Object.freeze({
  google,
  facebook,
  twitch,
  kakao,
  apple,
  slack,
  microsoft,
});

/**
 * The ids of the built-in providers.
 *
 * @example
 * ```ts
 * PROVIDER_IDS.length; // 7
 * ```
 */
export const PROVIDER_IDS = Object.freeze(Object.keys(PROVIDERS)) as readonly ProviderId[];
