// A stand-in prove module whose every job fails the way a broken witness does, for the PROVE_FAILED path.
// The message names a marker the test looks for: it must stay server-side (never in the client's answer).
export async function prove(): Promise<never> {
  throw Object.assign(new Error('witness failed: FAILING-PROVE-MARKER'), { code: 'WITNESS_FAILED' });
}
