// A stand-in prove module that leaves a trace: each job it starts appends a line to the file named by
// RECORDING_PROVE_LOG (`start <worker pid>`), so a test can tell that a refused or cancelled request never
// reached a worker. With RECORDING_PROVE_CHILD=1 it first starts a child process standing in for a native
// prover (`... child <pid>`), to check that cancelling the job kills that child too. It then waits
// FAKE_PROVE_SLEEP_MS (default 1.5 s) and answers a recognisable non-proof. The variables are read when the
// job starts, from the environment the worker was forked with.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export async function prove(job: {
  tier: number;
}): Promise<{ proof: `0x${string}`; publicInputs: `0x${string}`[] }> {
  const log = process.env.RECORDING_PROVE_LOG;
  if (!log) throw new Error('RECORDING_PROVE_LOG is not set');
  let line = `start ${process.pid}`;
  if (process.env.RECORDING_PROVE_CHILD === '1') {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    line += ` child ${child.pid}`;
  }
  appendFileSync(log, `${line}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.FAKE_PROVE_SLEEP_MS ?? 1500)));
  return { proof: `0x${'00'.repeat(256)}`, publicInputs: [`0x${job.tier.toString(16).padStart(64, '0')}`] };
}
