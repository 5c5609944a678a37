/** The BroadcastChannel /callback answers on (same origin only: browsers never cross origins with it). */
export const OIDC_CHANNEL = 'zksso-oidc-callback';

/** What /callback hands to the popup: the ID token, or the provider's error, with the login's `state`. */
export type OidcResult =
  | { state: string; idToken: string }
  | { state: string; error: string; description?: string };
