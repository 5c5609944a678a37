// Independent re-implementations used only by tests: circomlibjs's Poseidon (not poseidon-lite) and a
// string-based chunking of protocol §2, so a bug in the library code cannot hide in its own reference.
import { buildPoseidon } from 'circomlibjs';

let poseidonPromise: ReturnType<typeof buildPoseidon> | undefined;

/** circomlibjs Poseidon over BN254 (the reference the circuits use). */
export async function referencePoseidon(inputs: readonly bigint[]): Promise<bigint> {
  poseidonPromise ??= buildPoseidon();
  const poseidon = await poseidonPromise;
  return poseidon.F.toObject(poseidon(inputs));
}

/** Protocol §2 hashBytes, written from the spec text with hex strings. */
export async function referenceHashBytes(bytes: Uint8Array, maxLen: number): Promise<bigint> {
  let hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  hex = hex.padEnd(maxLen * 2, '0');
  const chunks: bigint[] = [];
  for (let i = 0; i < maxLen / 31; i++) chunks.push(BigInt(`0x${hex.slice(i * 62, i * 62 + 62)}`));
  return referencePoseidon([...chunks, BigInt(bytes.length)]);
}

/** Protocol §4 identity commitment from the reference pieces. */
export async function referenceIdentityCommitment(input: {
  keyClaimName: string;
  keyClaimValue: string;
  aud: string;
  iss: string;
  salt: bigint;
}): Promise<bigint> {
  const enc = new TextEncoder();
  const iss = /^https?:\/\//.test(input.iss) ? input.iss : `https://${input.iss}`;
  return referencePoseidon([
    await referenceHashBytes(enc.encode(input.keyClaimName), 31),
    await referenceHashBytes(enc.encode(input.keyClaimValue), 124),
    await referenceHashBytes(enc.encode(input.aud), 124),
    await referenceHashBytes(enc.encode(iss), 124),
    await referencePoseidon([input.salt]),
  ]);
}
