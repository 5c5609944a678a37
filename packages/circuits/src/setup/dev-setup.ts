import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { buildBn128 } from 'ffjavascript';
import { batchInvertInPlace, FR_MODULUS, FR_R2, frInv, frPow, readLe256, writeLe256 } from './field.ts';
import { FixedBaseMultiplier } from './fixed-base.ts';
import { type ProgressCallback, ProgressTracker } from './progress.ts';
import { forEachConstraint, readR1cs } from './r1cs.ts';

/** Options of {@link devSetup}. */
export interface DevSetupOptions {
  /** The circuit's `.r1cs`. */
  readonly r1csPath: string;
  /** Where to write the key; by convention its name contains `development`. */
  readonly zkeyPath: string;
  /** Progress reports (stage, fraction, ETA) during the minutes-long work. */
  readonly onProgress?: ProgressCallback;
}

/** What {@link devSetup} produced. */
export interface DevSetupResult {
  readonly zkeyPath: string;
  readonly constraints: number;
  readonly nVars: number;
  readonly nPublic: number;
  readonly domainSize: number;
  readonly seconds: number;
}

/** Changes whenever the keys this module writes would differ (cache keys include it). */
export const DEV_SETUP_VERSION = 1;

const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const G1_SIZE = 64;
const G2_SIZE = 128;
const COEF_SIZE = 44;

/**
 * DEVELOPMENT KEY generator: a single-party Groth16 setup that writes a snarkjs-compatible `.zkey`.
 *
 * It draws tau, alpha, beta, gamma and delta at random, evaluates the Lagrange basis at tau in closed
 * form over the power-of-two domain snarkjs uses, and multiplies the generators by every query scalar with
 * fixed-base windowed tables (ffjavascript's WebAssembly BN254). The H query follows snarkjs's convention:
 * the Lagrange basis of the doubled domain at its odd points, divided by delta, because snarkjs's prover
 * evaluates A·B−C on the odd coset. The secrets live only in this function's memory, but the machine knew
 * them: anyone who had it could forge proofs. Never use such a key to protect value; run a ceremony
 * (see `ceremony.ts`) for that.
 *
 * @example
 * ```ts
 * await devSetup({ r1csPath: 'main.r1cs', zkeyPath: 'main.development.zkey', onProgress: console.log });
 * const proof = await snarkjs.groth16.prove('main.development.zkey', 'witness.wtns');
 * ```
 */
export async function devSetup(options: DevSetupOptions): Promise<DevSetupResult> {
  const started = Date.now();
  const r1cs = await readR1cs(options.r1csPath);
  const nPublic = r1cs.nPubOut + r1cs.nPubIn;
  const nVars = r1cs.nWires;
  const rows = r1cs.nConstraints + nPublic + 1;
  const power = Math.max(1, Math.ceil(Math.log2(rows)));
  const n = 2 ** power;
  if (power >= 28) throw new Error(`circuit too large for BN254's FFT domain (2^${power})`);

  // Cost model for progress: one unit per G1 point, three per G2 point, a tenth per field term.
  let terms = 0;
  let abTerms = 0; // terms of A and B: the coefficient section lists them
  forEachConstraint(r1cs, (m) => {
    terms++;
    if (m < 2) abTerms++;
  });
  const g1Count = 3 + (nPublic + 1) + nVars * 3 + n;
  const g2Count = 3 + nVars;
  const tracker = new ProgressTracker(
    g1Count + 3 * g2Count + 0.1 * (terms + 3 * n) + tableCost(g1Count) + 3 * tableCost(g2Count),
    options.onProgress,
  );
  tracker.report('reading r1cs', true);

  const curve = await buildBn128(true);
  const toBig = (x: Uint8Array): bigint => BigInt(curve.Fr.toString(x));
  const omega = toBig(curve.Fr.w[power]);
  const omega2 = toBig(curve.Fr.w[power + 1]);
  await curve.terminate();

  // Toxic waste: kept in this scope only.
  const draw = (): bigint => {
    for (;;) {
      const x = BigInt(`0x${randomBytes(48).toString('hex')}`) % FR_MODULUS;
      if (x !== 0n) return x;
    }
  };
  let tau = draw();
  while (frPow(tau, BigInt(2 * n)) === 1n) tau = draw(); // tau must lie outside both domains
  const alpha = draw();
  const beta = draw();
  const gamma = draw();
  const delta = draw();
  const gammaInv = frInv(gamma);
  const deltaInv = frInv(delta);

  // Lagrange basis of the n-domain at tau: L_c(tau) = w^c (tau^n - 1) / (n (tau - w^c)).
  const omegaPowers: bigint[] = new Array(n);
  let wc = 1n;
  for (let i = 0; i < n; i++) {
    omegaPowers[i] = wc;
    wc = (wc * omega) % FR_MODULUS;
  }
  const tauN = frPow(tau, BigInt(n));
  const lagrange: bigint[] = new Array(rows);
  for (let c = 0; c < rows; c++) lagrange[c] = (tau - (omegaPowers[c] as bigint) + FR_MODULUS) % FR_MODULUS;
  batchInvertInPlace(lagrange);
  const zOverN = ((tauN - 1n + FR_MODULUS) * frInv(BigInt(n))) % FR_MODULUS;
  for (let c = 0; c < rows; c++) {
    lagrange[c] =
      ((((lagrange[c] as bigint) * (omegaPowers[c] as bigint)) % FR_MODULUS) * zOverN) % FR_MODULUS;
  }
  tracker.advance('Lagrange basis', 0.1 * n);

  // u_s(tau), v_s(tau), w_s(tau) per wire, and the coefficient section snarkjs's prover reads.
  const a: bigint[] = new Array(nVars).fill(0n);
  const b: bigint[] = new Array(nVars).fill(0n);
  const c: bigint[] = new Array(nVars).fill(0n);
  const coefs = new Uint8Array(4 + (abTerms + nPublic + 1) * COEF_SIZE);
  const coefsView = new DataView(coefs.buffer);
  coefsView.setUint32(0, abTerms + nPublic + 1, true);
  let coefPos = 4;
  const writeCoef = (matrix: number, constraint: number, wire: number, value: bigint): void => {
    coefsView.setUint32(coefPos, matrix, true);
    coefsView.setUint32(coefPos + 4, constraint, true);
    coefsView.setUint32(coefPos + 8, wire, true);
    writeLe256(coefsView, coefPos + 12, (value * FR_R2) % FR_MODULUS);
    coefPos += COEF_SIZE;
  };
  const cons = r1cs.constraints;
  let visited = 0;
  forEachConstraint(r1cs, (matrix, constraint, wire, offset) => {
    const coef = readLe256(cons, offset);
    const term = (coef * (lagrange[constraint] as bigint)) % FR_MODULUS;
    const target = matrix === 0 ? a : matrix === 1 ? b : c;
    target[wire] = ((target[wire] as bigint) + term) % FR_MODULUS;
    if (matrix < 2) writeCoef(matrix, constraint, wire, coef);
    if (++visited % 65536 === 0) tracker.advance('R1CS at tau', 0.1 * 65536);
  });
  // snarkjs adds one row per public input (and the constant wire) so that A's public columns are
  // linearly independent: A gets L_{nConstraints + s}.
  for (let s = 0; s <= nPublic; s++) {
    const row = r1cs.nConstraints + s;
    a[s] = ((a[s] as bigint) + (lagrange[row] as bigint)) % FR_MODULUS;
    writeCoef(0, row, s, 1n);
  }

  // (beta·u + alpha·v + w) / gamma for public wires (IC), / delta for the others (C).
  const combined = (s: number): bigint =>
    (beta * (a[s] as bigint) + alpha * (b[s] as bigint) + (c[s] as bigint)) % FR_MODULUS;
  const ic: bigint[] = [];
  for (let s = 0; s <= nPublic; s++) ic.push((combined(s) * gammaInv) % FR_MODULUS);
  const k: bigint[] = [];
  for (let s = nPublic + 1; s < nVars; s++) k.push((combined(s) * deltaInv) % FR_MODULUS);
  c.length = 0;

  // H: Lagrange basis of the 2n-domain at its odd points x_i = w2 · w^i, divided by delta.
  const h: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = (omega2 * (omegaPowers[i] as bigint)) % FR_MODULUS;
    omegaPowers[i] = x;
    h[i] = (tau - x + FR_MODULUS) % FR_MODULUS;
  }
  batchInvertInPlace(h);
  const z2 =
    ((((tauN * tauN - 1n) % FR_MODULUS) + FR_MODULUS) * frInv(BigInt(2 * n)) * deltaInv) % FR_MODULUS;
  for (let i = 0; i < n; i++)
    h[i] = ((((h[i] as bigint) * (omegaPowers[i] as bigint)) % FR_MODULUS) * z2) % FR_MODULUS;
  omegaPowers.length = 0;
  lagrange.length = 0;
  tracker.advance('H scalars', 0.1 * 2 * n);

  const temp = `${options.zkeyPath}.partial-${process.pid}`;
  const file = await open(temp, 'w');
  const hasher = createHash('blake2b512');
  let filePos = 0;
  const write = async (bytes: Uint8Array): Promise<void> => {
    await file.write(bytes, 0, bytes.length, filePos);
    filePos += bytes.length;
  };
  const section = async (id: number, parts: Uint8Array[]): Promise<void> => {
    const head = new Uint8Array(12);
    const hv = new DataView(head.buffer);
    hv.setUint32(0, id, true);
    hv.setBigUint64(4, BigInt(parts.reduce((sum, p) => sum + p.length, 0)), true);
    await write(head);
    for (const part of parts) {
      if (id !== 10) hasher.update(part);
      await write(part);
    }
  };
  try {
    const magic = new Uint8Array(12);
    magic.set(Buffer.from('zkey', 'latin1'));
    new DataView(magic.buffer).setUint32(4, 1, true);
    new DataView(magic.buffer).setUint32(8, 10, true);
    await write(magic);
    const groth = new Uint8Array(4);
    new DataView(groth.buffer).setUint32(0, 1, true);
    await section(1, [groth]);
    await section(4, [coefs]);

    const g1 = await FixedBaseMultiplier.create('G1', g1Count);
    tracker.advance('G1 table', tableCost(g1Count));
    const g1Points = (stage: string, scalars: readonly bigint[]): Promise<Uint8Array> => {
      let reported = 0;
      return g1.multiply(scalars, (done) => {
        tracker.advance(stage, done - reported);
        reported = done;
      });
    };
    const header1 = await g1Points('G1 header', [alpha, beta, delta]);
    await section(3, [await g1Points('G1 points IC', ic)]);
    await section(5, [await g1Points('G1 points A', a)]);
    await section(6, [await g1Points('G1 points B1', b)]);
    await section(8, [await g1Points('G1 points C', k)]);
    k.length = 0;
    a.length = 0;
    await section(9, [await g1Points('G1 points H', h)]);
    h.length = 0;
    g1.dispose();

    const g2 = await FixedBaseMultiplier.create('G2', g2Count);
    tracker.advance('G2 table', 3 * tableCost(g2Count));
    let reported = 0;
    const b2 = await g2.multiply(b, (done) => {
      tracker.advance('G2 points B2', 3 * (done - reported));
      reported = done;
    });
    await section(7, [b2]);
    const header2 = await g2.multiply([beta, gamma, delta]);
    g2.dispose();

    const grothHeader = new Uint8Array(4 + 32 + 4 + 32 + 12);
    const gv = new DataView(grothHeader.buffer);
    gv.setUint32(0, 32, true);
    writeLe256(gv, 4, BN254_Q);
    gv.setUint32(36, 32, true);
    writeLe256(gv, 40, FR_MODULUS);
    gv.setUint32(72, nVars, true);
    gv.setUint32(76, nPublic, true);
    gv.setUint32(80, n, true);
    const g1At = (i: number) => header1.subarray(i * G1_SIZE, (i + 1) * G1_SIZE);
    const g2At = (i: number) => header2.subarray(i * G2_SIZE, (i + 1) * G2_SIZE);
    // alpha1, beta1, beta2, gamma2, delta1, delta2
    await section(2, [grothHeader, g1At(0), g1At(1), g2At(0), g2At(1), g1At(2), g2At(2)]);

    // Contributions: a circuit hash (here a digest of the key's content) and zero contributions.
    const contributions = new Uint8Array(68);
    contributions.set(hasher.digest());
    await section(10, [contributions]);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, options.zkeyPath);
  tracker.finish('done');
  return {
    zkeyPath: options.zkeyPath,
    constraints: r1cs.nConstraints,
    nVars,
    nPublic,
    domainSize: n,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Additions spent on a fixed-base table for `count` products (see FixedBaseMultiplier). */
function tableCost(count: number): number {
  return FixedBaseMultiplier.windowBitsFor(count) === 16 ? 16 * 65536 : 32 * 256;
}
