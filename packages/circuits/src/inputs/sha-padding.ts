/**
 * SHA-256 padding of `message` (0x80, zeros, 64-bit big-endian bit length), then zeros up to `totalLength`,
 * as the circuit's `content` input expects.
 *
 * @example
 * ```ts
 * sha256Pad(new TextEncoder().encode('abc'), 128).length; // 128 (first block holds the padded message)
 * ```
 */
export function sha256Pad(message: Uint8Array, totalLength: number): Uint8Array {
  const padded = Math.ceil((message.length + 9) / 64) * 64;
  if (padded > totalLength)
    throw new RangeError(`message of ${message.length} bytes does not fit ${totalLength}`);
  const out = new Uint8Array(totalLength);
  out.set(message);
  out[message.length] = 0x80;
  const view = new DataView(out.buffer);
  view.setBigUint64(padded - 8, BigInt(message.length) * 8n);
  return out;
}
