// A stand-in prove module for tests that never reach a real proof (error codes, queue mechanics): it
// waits (`input.sleepMs`, else FAKE_PROVE_SLEEP_MS from the environment, else 1.5 s), then answers a recognisable non-proof, or throws when
// `input.fail` is set, or kills its own process (a worker running out of memory) when `input.crash` is set.
// Real proofs are made in prove.test.ts.
export async function prove(job: {
  tier: number;
  input: { sleepMs?: number; fail?: boolean; crash?: boolean };
}): Promise<{ proof: `0x${string}`; publicInputs: `0x${string}`[] }> {
  const sleepMs = job.input.sleepMs ?? Number(process.env.FAKE_PROVE_SLEEP_MS ?? 1500);
  await new Promise((resolve) => setTimeout(resolve, sleepMs));
  if (job.input.crash) process.exit(3);
  if (job.input.fail) throw Object.assign(new Error('witness failed (fake)'), { code: 'WITNESS_FAILED' });
  return { proof: `0x${'00'.repeat(256)}`, publicInputs: [`0x${job.tier.toString(16).padStart(64, '0')}`] };
}
