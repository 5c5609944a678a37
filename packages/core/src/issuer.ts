import { hashBytes, MAX_ISS_LENGTH } from './hash-bytes.ts';

/**
 * Normalises an OpenID issuer (protocol §3): values starting with `https://` or `http://` are unchanged,
 * anything else gets `https://` prepended (Google's legacy `accounts.google.com`). No other folding.
 *
 * @example
 * ```ts
 * normalizeIssuer('accounts.google.com'); // 'https://accounts.google.com'
 * normalizeIssuer('https://accounts.google.com'); // unchanged
 * ```
 */
export function normalizeIssuer(iss: string): string {
  if (iss.startsWith('https://') || iss.startsWith('http://')) return iss;
  return `https://${iss}`;
}

/**
 * `issHash = hashBytes(normalizeIssuer(iss), 124)` (protocol §3).
 *
 * @throws {ClaimTooLongError} when the normalised issuer is longer than 124 bytes.
 * @example
 * ```ts
 * hashIssuer('accounts.google.com') === hashIssuer('https://accounts.google.com'); // true
 * ```
 */
export function hashIssuer(iss: string): bigint {
  return hashBytes(normalizeIssuer(iss), MAX_ISS_LENGTH, 'iss');
}
