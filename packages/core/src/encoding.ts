import { InvalidBase64UrlError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5), as JWTs and the zkSSO nonce use.
 *
 * @example
 * ```ts
 * bytesToBase64Url(new Uint8Array([0xfb, 0xff])); // '-_8'
 * ```
 */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}

/**
 * Decodes strict base64url: only `A-Z a-z 0-9 - _`, no padding, no whitespace, and the unused trailing bits
 * must be zero, so every byte string has exactly one accepted encoding.
 *
 * @throws {InvalidBase64UrlError} on any other input.
 * @example
 * ```ts
 * base64UrlToBytes('-_8'); // Uint8Array [0xfb, 0xff]
 * ```
 */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new InvalidBase64UrlError('not a string');
  const rest = text.length % 4;
  if (rest === 1) throw new InvalidBase64UrlError('impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  const sextet = (index: number): number => {
    const code = text.charCodeAt(index);
    const v = code < 128 ? (DECODE[code] as number) : -1;
    if (v < 0) throw new InvalidBase64UrlError(`character not in the base64url alphabet at ${index}`);
    return v;
  };
  let o = 0;
  let i = 0;
  for (; i + 4 <= text.length; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12);
    if (n & 0xffff) throw new InvalidBase64UrlError('non-canonical trailing bits');
    out[o++] = n >> 16;
  } else if (rest === 3) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6);
    if (n & 0xff) throw new InvalidBase64UrlError('non-canonical trailing bits');
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * UTF-8 encodes a string (the byte form claims are hashed in; protocol §2).
 *
 * @example
 * ```ts
 * utf8ToBytes('é'); // Uint8Array [0xc3, 0xa9]
 * ```
 */
export function utf8ToBytes(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}
