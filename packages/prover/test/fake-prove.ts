// A stand-in prove module for tests that never reach a real proof (error codes, queue mechanics): it
// waits (`input.sleepMs`, default 1.5 s), then answers a recognisable non-proof, or throws when
// `input.fail` is set. Real proofs are made in prove.test.ts.
export async function prove(job: {
  tier: number;
  input: { sleepMs?: number; fail?: boolean };
}): Promise<{ proof: `0x${string}`; publicInputs: `0x${string}`[] }> {
  await new Promise((resolve) => setTimeout(resolve, job.input.sleepMs ?? 1500));
  if (job.input.fail) throw Object.assign(new Error('witness failed (fake)'), { code: 'WITNESS_FAILED' });
  return { proof: `0x${'00'.repeat(256)}`, publicInputs: [`0x${job.tier.toString(16).padStart(64, '0')}`] };
}
