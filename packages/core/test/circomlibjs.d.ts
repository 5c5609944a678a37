// Minimal types for the parts of circomlibjs (an untyped dev dependency) the tests use as a reference.
declare module 'circomlibjs' {
  export function buildPoseidon(): Promise<{
    (inputs: readonly bigint[]): Uint8Array;
    F: { toObject(element: Uint8Array): bigint };
  }>;
}
