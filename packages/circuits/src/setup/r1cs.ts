import { readFile } from 'node:fs/promises';
import { FR_MODULUS, readLe256 } from './field.ts';

/** The counts of an r1cs file's header (section 1). */
export interface R1csHeader {
  readonly nWires: number;
  readonly nPubOut: number;
  readonly nPubIn: number;
  readonly nPrvIn: number;
  readonly nConstraints: number;
}

/** An r1cs file in memory: header plus the raw constraints section (walked with {@link forEachConstraint}). */
export interface R1cs extends R1csHeader {
  readonly constraints: DataView;
}

/**
 * Reads a circom `.r1cs` file (binary format v1), keeping the constraints section as raw bytes.
 *
 * @example
 * ```ts
 * const r1cs = await readR1cs('build/main.r1cs');
 * console.log(r1cs.nConstraints);
 * ```
 */
export async function readR1cs(path: string): Promise<R1cs> {
  const buffer = await readFile(path);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.toString('latin1', 0, 4) !== 'r1cs') throw new Error(`${path} is not an r1cs file`);
  const nSections = view.getUint32(8, true);
  let offset = 12;
  let header: R1csHeader | undefined;
  let constraints: DataView | undefined;
  for (let s = 0; s < nSections; s++) {
    const type = view.getUint32(offset, true);
    const length = Number(view.getBigUint64(offset + 4, true));
    const start = offset + 12;
    if (type === 1) {
      const n8 = view.getUint32(start, true);
      if (n8 !== 32 || readLe256(view, start + 4) !== FR_MODULUS) throw new Error('r1cs is not over BN254');
      const p = start + 4 + n8;
      header = {
        nWires: view.getUint32(p, true),
        nPubOut: view.getUint32(p + 4, true),
        nPubIn: view.getUint32(p + 8, true),
        nPrvIn: view.getUint32(p + 12, true),
        nConstraints: view.getUint32(p + 24, true),
      };
    } else if (type === 2) {
      constraints = new DataView(buffer.buffer, buffer.byteOffset + start, length);
    }
    offset = start + length;
  }
  if (!header || !constraints) throw new Error(`${path}: missing header or constraints section`);
  return { ...header, constraints };
}

/** 0 = A, 1 = B, 2 = C. */
export type Matrix = 0 | 1 | 2;

/**
 * Calls `visit(matrix, constraint, wire, coefficientOffset)` for every non-zero term of every constraint;
 * the coefficient is 32 bytes little-endian at `coefficientOffset` in `r1cs.constraints`.
 *
 * @example
 * ```ts
 * let terms = 0;
 * forEachConstraint(r1cs, () => { terms++; });
 * ```
 */
export function forEachConstraint(
  r1cs: R1cs,
  visit: (matrix: Matrix, constraint: number, wire: number, coefficientOffset: number) => void,
): void {
  const view = r1cs.constraints;
  let p = 0;
  for (let c = 0; c < r1cs.nConstraints; c++) {
    for (let m = 0; m < 3; m++) {
      const n = view.getUint32(p, true);
      p += 4;
      for (let i = 0; i < n; i++) {
        visit(m as Matrix, c, view.getUint32(p, true), p + 4);
        p += 36;
      }
    }
  }
}
