// circom_runtime (a dependency of snarkjs) ships no types; only its witness calculator builder is used.
declare module 'circom_runtime' {
  export function WitnessCalculatorBuilder(
    code: Uint8Array,
    options?: Record<string, unknown>,
  ): Promise<unknown>;
}
