// Queue mechanics of the worker pool with a stand-in prove module (real proofs: test/prove.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { ProvingPool } from './pool.ts';
import type { ProveJob } from './prove-job.ts';

const FAKE = new URL('../test/fake-prove.ts', import.meta.url).href;
const job = (input: Record<string, unknown> = {}): ProveJob => ({
  tier: 7,
  artifacts: { wasmPath: '', zkeyPath: '' },
  vkey: { protocol: 'groth16', curve: 'bn128', nPublic: 1 },
  input,
});

let pool: ProvingPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('ProvingPool', () => {
  it('runs one job per worker, queues up to queueSize and refuses the rest with Retry-After', async () => {
    pool = new ProvingPool({ concurrency: 1, queueSize: 1, proveModule: FAKE, initialEstimateMs: 20_000 });
    await pool.start();
    const first = pool.submit(job({ sleepMs: 300 }), 10_000);
    const second = pool.submit(job({ sleepMs: 300 }), 10_000);
    expect(pool.inFlight).toBe(1);
    expect(pool.queueDepth).toBe(1);
    expect(pool.hasCapacity()).toBe(false);
    const third = pool.submit(job(), 10_000);
    await expect(third).rejects.toMatchObject({ code: 'QUEUE_FULL', status: 503 });
    const error = (await third.catch((e: unknown) => e)) as { retryAfterSeconds: number };
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(20);
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.publicInputs[0])).toEqual([
      `0x${'7'.padStart(64, '0')}`,
      `0x${'7'.padStart(64, '0')}`,
    ]);
    expect(results[1]?.queuedMs).toBeGreaterThan(100);
    // The estimate moved towards the measured ~0.3 s.
    expect(pool.estimateMs).toBeLessThan(20_000);
  });

  it('times out a running job by replacing its worker, and a queued one by dropping it', async () => {
    pool = new ProvingPool({ concurrency: 1, queueSize: 2, proveModule: FAKE });
    await pool.start();
    const running = pool.submit(job({ sleepMs: 60_000 }), 300);
    const queued = pool.submit(job({ sleepMs: 10 }), 200);
    await expect(queued).rejects.toMatchObject({ code: 'PROVE_TIMEOUT', details: { stage: 'queued' } });
    await expect(running).rejects.toMatchObject({
      code: 'PROVE_TIMEOUT',
      status: 504,
      details: { stage: 'proving' },
    });
    // The fresh worker proves the next job.
    const next = await pool.submit(job({ sleepMs: 10 }), 10_000);
    expect(next.proof).toBe(`0x${'00'.repeat(256)}`);
  });

  it('turns a failing prove into PROVE_FAILED without the inputs, and refuses work after close', async () => {
    pool = new ProvingPool({ concurrency: 1, queueSize: 0, proveModule: FAKE });
    await pool.start();
    const failed = pool.submit(job({ sleepMs: 10, fail: true, secret: 'do-not-leak' }), 10_000);
    await expect(failed).rejects.toMatchObject({
      code: 'PROVE_FAILED',
      details: { cause: 'WITNESS_FAILED' },
    });
    const error = await failed.catch((e: Error) => e);
    expect(JSON.stringify(error)).not.toContain('do-not-leak');
    const inFlight = pool.submit(job({ sleepMs: 200 }), 10_000);
    await pool.close(5_000);
    await expect(inFlight).resolves.toMatchObject({ proof: `0x${'00'.repeat(256)}` });
    await expect(pool.submit(job(), 1000)).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('cancels on abort: a queued job is dropped, a running one killed with its worker, a pre-aborted one refused', async () => {
    pool = new ProvingPool({ concurrency: 1, queueSize: 2, proveModule: FAKE });
    await pool.start();
    const runningAbort = new AbortController();
    const queuedAbort = new AbortController();
    const running = pool.submit(job({ sleepMs: 60_000 }), 120_000, { signal: runningAbort.signal });
    const queued = pool.submit(job({ sleepMs: 10 }), 120_000, { signal: queuedAbort.signal });
    const after = pool.submit(job({ sleepMs: 10 }), 120_000);
    expect(pool.queueDepth).toBe(2);
    queuedAbort.abort();
    await expect(queued).rejects.toMatchObject({ code: 'CLIENT_CLOSED', details: { stage: 'queued' } });
    expect(pool.queueDepth).toBe(1);
    expect(pool.inFlight).toBe(1);
    runningAbort.abort();
    await expect(running).rejects.toMatchObject({ code: 'CLIENT_CLOSED', details: { stage: 'proving' } });
    // The job queued behind them runs on the fresh worker.
    await expect(after).resolves.toMatchObject({ proof: `0x${'00'.repeat(256)}` });
    await expect(pool.submit(job(), 1000, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CLIENT_CLOSED',
      details: { stage: 'checks' },
    });
    expect(pool.queueDepth + pool.inFlight).toBe(0);
  });

  it('answers PROVE_FAILED (cause WORKER_EXITED) when a worker dies mid-proof, and replaces the worker', async () => {
    pool = new ProvingPool({ concurrency: 1, queueSize: 1, proveModule: FAKE });
    await pool.start();
    const crashed = pool.submit(job({ sleepMs: 10, crash: true }), 10_000);
    const queued = pool.submit(job({ sleepMs: 10 }), 10_000);
    await expect(crashed).rejects.toMatchObject({
      code: 'PROVE_FAILED',
      details: { cause: 'WORKER_EXITED' },
    });
    // The queued job runs on the fresh worker.
    await expect(queued).resolves.toMatchObject({ proof: `0x${'00'.repeat(256)}` });
    expect(pool.inFlight).toBe(0);
  });
});
