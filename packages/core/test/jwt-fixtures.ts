// Builds RS256 tokens for tests with WebCrypto, from JSON objects or from raw JSON text (to test what
// JSON.parse would hide: escapes, duplicate members, whitespace).
const b64 = (bytes: Uint8Array | string) =>
  Buffer.from(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes).toString('base64url');

let keyPromise: Promise<CryptoKeyPair> | undefined;

/** A lazily generated RSA-2048 test key. */
export function testRsaKey(): Promise<CryptoKeyPair> {
  keyPromise ??= crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
  return keyPromise;
}

/** Signs `header.payload` where either may be given as raw JSON text. */
export async function signJwt(header: object | string, payload: object | string): Promise<string> {
  const h = b64(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const { privateKey } = await testRsaKey();
  const sig = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    privateKey,
    new TextEncoder().encode(`${h}.${p}`),
  );
  return `${h}.${p}.${b64(new Uint8Array(sig))}`;
}

/** Encodes text or bytes as base64url. */
export { b64 };
