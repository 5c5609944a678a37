import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ZkSsoError } from '@zksso/core';
import * as snarkjs from 'snarkjs';
import {
  exportLabelledVerificationKey,
  renderVerifierContract,
  verifierContractName,
} from '../solidity/verifier.ts';

/** A step of the phase-2 ceremony failed (bad input file, verification failure). */
export class CeremonyError extends ZkSsoError {
  constructor(
    code: 'CEREMONY_STEP_FAILED' | 'CEREMONY_VERIFY_FAILED',
    message: string,
    details: Record<string, unknown>,
  ) {
    super(code, message, { details });
  }
}

/** snarkjs's logger shape; lines go to `log` (default: nowhere). */
export interface CeremonyLogOptions {
  readonly log?: (line: string) => void;
}

function logger(log?: (line: string) => void) {
  if (!log) return undefined;
  return {
    debug: () => {},
    info: (line: string) => log(line),
    warn: (line: string) => log(`warning: ${line}`),
    error: (line: string) => log(`error: ${line}`),
  };
}

async function atomically<T>(outPath: string, step: string, run: (temp: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(outPath), { recursive: true });
  const temp = `${outPath}.partial-${process.pid}`;
  const result = await run(temp);
  // snarkjs returns -1 / false instead of throwing on some failures
  if ((result as unknown) === -1 || (result as unknown) === false) {
    throw new CeremonyError(
      'CEREMONY_STEP_FAILED',
      `ceremony ${step} failed (see the log for snarkjs's reason)`,
      {
        step,
        outPath,
      },
    );
  }
  await rename(temp, outPath);
  return result;
}

/**
 * Phase 2, step 0: the initial zkey of a circuit from an operator-supplied, prepared powers-of-tau file
 * (e.g. the Hermez/Polygon `powersOfTau28_hez_final_<n>.ptau`, which must cover 2·constraints).
 *
 * @example
 * ```ts
 * await ceremonyNew({ r1csPath: 'zklogin_1024.r1cs', ptauPath: 'pot21_final.ptau', zkeyPath: 'c_0000.zkey' });
 * ```
 */
export async function ceremonyNew(
  options: { r1csPath: string; ptauPath: string; zkeyPath: string } & CeremonyLogOptions,
): Promise<void> {
  await atomically(options.zkeyPath, 'new', (temp) =>
    snarkjs.zKey.newZKey(options.r1csPath, options.ptauPath, temp, logger(options.log)),
  );
}

/**
 * Adds one participant's contribution (secret randomness; 64 random bytes unless `entropy` is given).
 * Returns the contribution hash the participant should publish.
 *
 * @example
 * ```ts
 * const hash = await ceremonyContribute({ inZkey: 'c_0000.zkey', outZkey: 'c_0001.zkey', name: 'alice' });
 * ```
 */
export async function ceremonyContribute(
  options: { inZkey: string; outZkey: string; name: string; entropy?: string } & CeremonyLogOptions,
): Promise<string> {
  const entropy = options.entropy ?? randomBytes(64).toString('hex');
  const hash = await atomically(options.outZkey, 'contribute', (temp) =>
    snarkjs.zKey.contribute(options.inZkey, temp, options.name, entropy, logger(options.log)),
  );
  return Buffer.from(hash as Uint8Array).toString('hex');
}

/**
 * Checks a zkey against the circuit and the powers of tau: every contribution is valid and the key matches
 * the r1cs. Throws {@link CeremonyError} (`CEREMONY_VERIFY_FAILED`) when not.
 *
 * @example
 * ```ts
 * await ceremonyVerify({ r1csPath, ptauPath, zkeyPath: 'c_0002.zkey' });
 * ```
 */
export async function ceremonyVerify(
  options: { r1csPath: string; ptauPath: string; zkeyPath: string } & CeremonyLogOptions,
): Promise<void> {
  let ok: unknown;
  try {
    ok = await snarkjs.zKey.verifyFromR1cs(
      options.r1csPath,
      options.ptauPath,
      options.zkeyPath,
      logger(options.log),
    );
  } catch (cause) {
    // snarkjs throws on files that do not even fit together (sizes, curves)
    throw new CeremonyError(
      'CEREMONY_VERIFY_FAILED',
      `${options.zkeyPath} cannot be checked: ${String(cause)}`,
      {
        zkeyPath: options.zkeyPath,
      },
    );
  }
  if (ok !== true) {
    throw new CeremonyError(
      'CEREMONY_VERIFY_FAILED',
      `${options.zkeyPath} does not verify against the r1cs and ptau`,
      {
        zkeyPath: options.zkeyPath,
      },
    );
  }
}

/**
 * Final step: a public random beacon (e.g. a future block hash, hex) applied with 2^iterationsExp hash
 * iterations (10 to 63; default 10), so no participant can have chosen the last contribution.
 *
 * @example
 * ```ts
 * await ceremonyBeacon({ inZkey: 'c_0002.zkey', outZkey: 'final.zkey', beaconHash: '0123…', iterationsExp: 10 });
 * ```
 */
export async function ceremonyBeacon(
  options: {
    inZkey: string;
    outZkey: string;
    beaconHash: string;
    iterationsExp?: number;
    name?: string;
  } & CeremonyLogOptions,
): Promise<void> {
  const beacon = options.beaconHash.replace(/^0x/, '');
  if (!/^[0-9a-fA-F]+$/.test(beacon) || beacon.length % 2 !== 0) {
    throw new CeremonyError('CEREMONY_STEP_FAILED', 'the beacon must be an even-length hex string', {
      step: 'beacon',
    });
  }
  const iterationsExp = options.iterationsExp ?? 10;
  if (!Number.isInteger(iterationsExp) || iterationsExp < 10 || iterationsExp > 63) {
    throw new CeremonyError('CEREMONY_STEP_FAILED', 'iterationsExp must be an integer from 10 to 63', {
      step: 'beacon',
      iterationsExp,
    });
  }
  await atomically(options.outZkey, 'beacon', (temp) =>
    snarkjs.zKey.beacon(
      options.inZkey,
      temp,
      options.name ?? 'final beacon',
      beacon,
      iterationsExp,
      logger(options.log),
    ),
  );
}

/**
 * Exports a ceremony key's verification key (`zksso.keyType: 'ceremony'`) and Solidity verifier
 * (`DEVELOPMENT_KEY = false`) into `outDir`.
 *
 * @example
 * ```ts
 * const { vkeyPath, verifierSolPath } = await ceremonyExport({ zkeyPath: 'final.zkey', tier: 1024, outDir: 'out' });
 * ```
 */
export async function ceremonyExport(options: {
  zkeyPath: string;
  tier: number;
  outDir: string;
}): Promise<{ vkeyPath: string; verifierSolPath: string }> {
  await mkdir(options.outDir, { recursive: true });
  const vkey = await exportLabelledVerificationKey(options.zkeyPath, {
    tier: options.tier,
    keyType: 'ceremony',
  });
  const vkeyPath = join(options.outDir, `zklogin_${options.tier}.vkey.json`);
  await writeFile(vkeyPath, `${JSON.stringify(vkey, null, 2)}\n`);
  const verifierSolPath = join(options.outDir, `${verifierContractName(options.tier)}.sol`);
  await writeFile(
    verifierSolPath,
    await renderVerifierContract({ zkeyPath: options.zkeyPath, tier: options.tier, keyType: 'ceremony' }),
  );
  return { vkeyPath, verifierSolPath };
}
