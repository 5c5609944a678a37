import * as poseidonLite from 'poseidon-lite';
import { ZkSsoError } from './errors.ts';
import { assertFieldElement } from './field.ts';

// poseidon-lite exports one function per arity: poseidon1 … poseidon16 (circomlib's constants).
const BY_ARITY = Array.from({ length: 16 }, (_, i) => {
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: all 16 arities are used, by name.
  const hash = poseidonLite[`poseidon${i + 1}` as keyof typeof poseidonLite];
  if (typeof hash !== 'function') throw new Error(`poseidon-lite lacks poseidon${i + 1}`);
  return hash as (inputs: bigint[]) => bigint;
});

/**
 * The largest number of inputs circomlib's Poseidon (and so {@link poseidonHash}) takes.
 * @example
 * ```ts
 * poseidonHash(new Array(POSEIDON_MAX_INPUTS).fill(0n)); // largest arity
 * ```
 */
export const POSEIDON_MAX_INPUTS = 16;

/**
 * Poseidon was called with a number of inputs it does not support (1..16).
 *
 * @example
 * ```ts
 * poseidonHash([]); // throws PoseidonArityError (code POSEIDON_ARITY)
 * ```
 */
export class PoseidonArityError extends ZkSsoError {
  constructor(count: number) {
    super('POSEIDON_ARITY', `Poseidon takes 1 to ${POSEIDON_MAX_INPUTS} inputs, got ${count}`, {
      details: { count },
    });
  }
}

/**
 * circomlib's Poseidon hash over the BN254 scalar field (`PoseidonN(n)`, n = 1..16; protocol §1).
 * Every input must be a canonical field element: out-of-range values are refused rather than reduced,
 * because the circuit would see a different number.
 *
 * @example
 * ```ts
 * poseidonHash([1n, 2n]);
 * // 7853200120776062878684798364095072458815029376092732009249414926327459813530n
 * ```
 */
export function poseidonHash(inputs: readonly bigint[]): bigint {
  const hash = BY_ARITY[inputs.length - 1];
  if (hash === undefined) throw new PoseidonArityError(inputs.length);
  inputs.forEach((x, i) => {
    assertFieldElement(x, `poseidon input ${i}`);
  });
  return hash([...inputs]);
}
