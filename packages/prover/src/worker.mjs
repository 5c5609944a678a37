// Entry of a proving worker process of the pool (see pool.ts for why a process and not a worker thread).
// Plain JavaScript so that Node starts it without a loader; the prove module (TypeScript) is loaded through
// tsx's API. One job at a time over IPC:
// { id, job } -> { id, ok: true, result, provingMs } | { id, ok: false, error: { name, code, message } }.
import { performance } from 'node:perf_hooks';

const proveModule = process.env.ZKSSO_PROVER_MODULE;
if (!proveModule || !process.send) throw new Error('worker.mjs runs as a forked proving worker only');
// The pool owns this process: when it goes away, so do we, with whatever the prove module started (a
// native prover's child process): the pool forks us as the leader of a process group, kill the group.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader (started some other way): our own exit is all we can do.
  }
  process.exit(0);
});

const { tsImport } = await import('tsx/esm/api');
const module = await tsImport(proveModule, import.meta.url);
if (typeof module.prove !== 'function') throw new Error(`${proveModule} exports no prove()`);

process.on('message', async ({ id, job }) => {
  const started = performance.now();
  try {
    const result = await module.prove(job);
    process.send({ id, ok: true, result, provingMs: performance.now() - started });
  } catch (error) {
    // Only the name, code and message cross back: never the job (it holds the prover's secret inputs).
    process.send({
      id,
      ok: false,
      error: {
        name: error?.name ?? 'Error',
        code: typeof error?.code === 'string' ? error.code : undefined,
        message: String(error?.message ?? error),
      },
    });
  }
});
process.send({ ready: true });
