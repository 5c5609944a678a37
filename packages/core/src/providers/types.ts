/**
 * Identifiers of the built-in providers.
 *
 * @example
 * ```ts
 * const id: ProviderId = 'google';
 * ```
 */
export type ProviderId = 'google' | 'facebook' | 'twitch' | 'kakao' | 'apple' | 'slack' | 'microsoft';

/**
 * How a login returns the ID token: `id_token` (implicit: in the redirect), `code id_token` (Apple:
 * both, the ID token in the redirect), or `code` (a server exchanges the code at the token endpoint).
 *
 * @example
 * ```ts
 * const flow: ResponseType = 'code';
 * ```
 */
export type ResponseType = 'id_token' | 'code id_token' | 'code';

/**
 * Where the provider puts the response: URL fragment, query, or an HTML form POSTed to the redirect URI.
 *
 * @example
 * ```ts
 * const mode: ResponseMode = 'form_post';
 * ```
 */
export type ResponseMode = 'fragment' | 'query' | 'form_post';

/**
 * Everything zkSSO needs to know about one OpenID provider.
 *
 * @example
 * ```ts
 * const google: OpenIdProvider = PROVIDERS.google;
 * google.jwksUri; // 'https://www.googleapis.com/oauth2/v3/certs'
 * ```
 */
export interface OpenIdProvider {
  /** Short identifier (`google`, or the one given to {@link providerFromDiscovery}). */
  readonly id: string;
  readonly name: string;
  /** `iss` values this provider signs, compared exactly (Microsoft: see `issuerPattern`). */
  readonly issuers: readonly string[];
  /** For multi-tenant providers: matches every accepted `iss` (Microsoft tenant issuers). */
  readonly issuerPattern?: RegExp;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
  readonly authorizationEndpoint: string;
  /** Needed for `code` flows; absent where zkSSO does not exchange codes. */
  readonly tokenEndpoint?: string;
  readonly responseType: ResponseType;
  /** Absent: the provider's default for the response type (fragment for ID tokens, query for codes). */
  readonly responseMode?: ResponseMode;
  /** Default scopes (always includes `openid`, except where noted in `quirks`). */
  readonly scopes: readonly string[];
  /** Default key claim of the identity commitment (protocol §4). */
  readonly keyClaim: 'sub' | 'email';
  /** Whether `email` may be the key claim (the provider sends a verified, stable email). */
  readonly emailKeyClaimAllowed: boolean;
  /** Fixed extra authorization parameters (none by default). */
  readonly extraAuthorizationParams?: Readonly<Record<string, string>>;
  /** Deviations from plain OpenID Connect a caller must know. */
  readonly quirks: readonly string[];
}
