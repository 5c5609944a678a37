import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ZkLoginProof } from '@zksso/circuits';
import { ProverError } from './errors.ts';
import type { ProveJob } from './prove-job.ts';

/** Options of {@link ProvingPool}. */
export interface ProvingPoolOptions {
  /** Worker processes, i.e. proofs made at once. */
  readonly concurrency: number;
  /** Jobs that may wait for a worker; one more is refused with QUEUE_FULL. */
  readonly queueSize: number;
  /** URL (file:) of a module exporting `prove(job)`; default `./prove-job.ts` (snarkjs, self-verifying). */
  readonly proveModule?: string;
  /** Proving time assumed before any proof was measured (ms), for Retry-After. */
  readonly initialEstimateMs?: number;
  /** Called when the queue depth or the number of proofs in flight changes. */
  readonly onChange?: () => void;
}

/** A proof from a worker, with the time the worker spent on it. */
export interface PoolResult extends ZkLoginProof {
  readonly provingMs: number;
  /** Time the job waited for a worker (ms). */
  readonly queuedMs: number;
}

interface Task {
  readonly id: number;
  readonly job: ProveJob;
  readonly resolve: (result: PoolResult) => void;
  readonly reject: (error: Error) => void;
  readonly enqueuedAt: number;
  startedAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  /** Removes the abort listener of the submitter's signal. */
  unlisten: (() => void) | undefined;
}

/** Options of one {@link ProvingPool.submit}. */
export interface SubmitOptions {
  /**
   * Aborted when nobody waits for the proof any more (the client hung up): a queued job is dropped, a running
   * one is cancelled by killing its worker (a fresh one replaces it). Rejects with CLIENT_CLOSED.
   */
  readonly signal?: AbortSignal;
}

interface Slot {
  worker: ChildProcess;
  ready: Promise<void>;
  /** Whether the worker loaded its prove module (a worker that cannot start is not respawned in a loop). */
  started: boolean;
  task: Task | undefined;
}

type WorkerMessage =
  | { ready: true }
  | { id: number; ok: true; result: ZkLoginProof; provingMs: number }
  | { id: number; ok: false; error: { name: string; code?: string; message: string } };

const WORKER_PATH = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const DEFAULT_PROVE_MODULE = new URL('./prove-job.ts', import.meta.url).href;

/**
 * A bounded proving queue in front of `concurrency` worker processes. `submit` starts a job on an idle
 * worker, queues it when all are busy, and refuses it at once (503 QUEUE_FULL with a Retry-After estimated
 * from recent proving times) when the queue is full. A job past its deadline is dropped from the queue or,
 * when running, cancelled by killing its worker (a fresh one replaces it): 504 PROVE_TIMEOUT. A job whose
 * submitter aborts (the client hung up) is cancelled the same way: CLIENT_CLOSED.
 *
 * Each worker leads a process group of its own, and a kill goes to the whole group: a native prover the
 * prove module runs as a child process dies with its worker instead of proving on for nobody.
 *
 * Workers are child processes (`child_process.fork`), not worker threads: snarkjs parallelises a proof
 * over its own threads (ffjavascript through the `web-worker` package), which only works from a process's
 * main thread: inside a worker thread ffjavascript takes the thread for one of its own workers and fails
 * ("Cannot destructure property 'mod' of 'threads.workerData'", Node 20.20). A process per worker also
 * isolates memory (about 2.5 GB per proof at 1,024 bytes) and makes cancellation a plain kill.
 *
 * @example
 * ```ts
 * const pool = new ProvingPool({ concurrency: 1, queueSize: 4 });
 * await pool.start();
 * const { proof, publicInputs } = await pool.submit({ tier, artifacts, vkey, input }, 120_000);
 * await pool.close();
 * ```
 */
export class ProvingPool {
  readonly #options: ProvingPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #estimateMs: number;
  #closing = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: ProvingPoolOptions) {
    if (options.concurrency < 1) throw new RangeError('concurrency must be at least 1');
    this.#options = options;
    this.#estimateMs = options.initialEstimateMs ?? 60_000;
  }

  /** Starts the worker processes and waits until each has loaded its prove module. */
  async start(): Promise<void> {
    for (let i = 0; i < this.#options.concurrency; i++) this.#slots.push(this.#spawn());
    await Promise.all(this.#slots.map((s) => s.ready));
  }

  /** Jobs waiting for a worker. */
  get queueDepth(): number {
    return this.#queue.length;
  }

  /** Jobs being proved now. */
  get inFlight(): number {
    return this.#slots.filter((s) => s.task !== undefined).length;
  }

  /** Whether a new job would be accepted now. */
  hasCapacity(): boolean {
    return (
      !this.#closing && (this.inFlight < this.#slots.length || this.#queue.length < this.#options.queueSize)
    );
  }

  /** Moving average of recent proving times (ms). */
  get estimateMs(): number {
    return this.#estimateMs;
  }

  /** Seconds until a queue place is likely to free up: the expected rest of the oldest running proof. */
  retryAfterSeconds(): number {
    const now = Date.now();
    const longest = Math.max(0, ...this.#slots.map((s) => (s.task?.startedAt ? now - s.task.startedAt : 0)));
    return Math.max(1, Math.ceil((this.#estimateMs - longest) / 1000));
  }

  /**
   * Proves `job` on a worker. Rejects with QUEUE_FULL (at once), PROVE_TIMEOUT (after `timeoutMs` from now,
   * queue time included), PROVE_FAILED (the worker threw or died), SHUTTING_DOWN or CLIENT_CLOSED (the
   * signal aborted; `details.stage` says whether the job was `queued` or `proving`).
   */
  submit(job: ProveJob, timeoutMs: number, options: SubmitOptions = {}): Promise<PoolResult> {
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(
        new ProverError('CLIENT_CLOSED', 'the client went away before its job was queued', {
          details: { stage: 'checks' },
        }),
      );
    }
    if (this.#closing) {
      return Promise.reject(
        new ProverError('SHUTTING_DOWN', 'the prover is shutting down', { retryAfterSeconds: 1 }),
      );
    }
    if (!this.hasCapacity()) {
      return Promise.reject(
        new ProverError('QUEUE_FULL', 'the proving queue is full; retry later', {
          details: { queueSize: this.#options.queueSize, inFlight: this.inFlight },
          retryAfterSeconds: this.retryAfterSeconds(),
        }),
      );
    }
    return new Promise<PoolResult>((resolve, reject) => {
      const task: Task = {
        id: this.#nextId++,
        job,
        resolve,
        reject,
        enqueuedAt: Date.now(),
        startedAt: undefined,
        timer: undefined,
        settled: false,
        unlisten: undefined,
      };
      task.timer = setTimeout(() => this.#timeout(task, timeoutMs), timeoutMs);
      if (signal) {
        const onAbort = () => this.#abandon(task);
        signal.addEventListener('abort', onAbort, { once: true });
        task.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      const idle = this.#slots.find((s) => s.task === undefined);
      if (idle) this.#run(idle, task);
      else this.#queue.push(task);
      this.#options.onChange?.();
    });
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Refuses new jobs; with `drainMs > 0` waits up to that long for queued and running jobs, then fails
   * what is left with SHUTTING_DOWN and kills the workers.
   */
  async close(drainMs = 0): Promise<void> {
    this.#closing = true;
    if (drainMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
    }
    const error = new ProverError('SHUTTING_DOWN', 'the prover shut down before this proof was made');
    for (const task of this.#queue.splice(0)) this.#settle(task, error);
    for (const slot of this.#slots) {
      if (slot.task) this.#settle(slot.task, error);
      slot.task = undefined;
    }
    await Promise.all(this.#slots.splice(0).map((s) => stop(s.worker)));
    this.#notifyIdle();
  }

  #spawn(): Slot {
    const worker = fork(WORKER_PATH, [], {
      // Not the parent's flags (a test runner's loaders): the worker loads TypeScript through tsx's API.
      execArgv: [],
      // A process group of its own (setsid): killing the group also kills what the prove module started (a
      // native prover's child process). The worker still exits with us: it watches its IPC channel.
      detached: true,
      env: { ...process.env, ZKSSO_PROVER_MODULE: this.#options.proveModule ?? DEFAULT_PROVE_MODULE },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { worker, ready: Promise.resolve(), started: false, task: undefined };
    slot.ready = new Promise<void>((resolve, reject) => {
      const failed = (reason: unknown) =>
        reject(reason instanceof Error ? reason : new Error(String(reason)));
      worker.once('error', failed);
      worker.once('exit', (code, signal) =>
        failed(`worker exited with ${code ?? signal} before it was ready`),
      );
      worker.on('message', (message: WorkerMessage) => {
        if ('ready' in message) {
          slot.started = true;
          resolve();
        } else this.#finish(slot, message);
      });
    });
    slot.ready.catch(() => undefined);
    worker.on('error', (error) => this.#crashed(slot, error));
    worker.on('exit', (code, signal) => {
      if (this.#slots.includes(slot) && !this.#closing) {
        this.#crashed(slot, new Error(`worker exited with ${code ?? signal}`));
      }
    });
    return slot;
  }

  #run(slot: Slot, task: Task): void {
    slot.task = task;
    task.startedAt = Date.now();
    slot.ready.then(
      () => {
        if (slot.task === task && !task.settled) slot.worker.send({ id: task.id, job: task.job });
      },
      (error: unknown) => this.#crashed(slot, error),
    );
  }

  #finish(slot: Slot, message: Exclude<WorkerMessage, { ready: true }>): void {
    const task = slot.task;
    if (!task || task.id !== message.id) return; // a cancelled job's late answer
    slot.task = undefined;
    if (message.ok) {
      this.#estimateMs = this.#estimateMs * 0.7 + message.provingMs * 0.3;
      this.#settle(task, undefined, {
        ...message.result,
        provingMs: message.provingMs,
        queuedMs: (task.startedAt ?? task.enqueuedAt) - task.enqueuedAt,
      });
    } else {
      const cause = message.error;
      this.#settle(
        task,
        new ProverError('PROVE_FAILED', `proving failed: ${cause.code ?? cause.name}`, {
          // The worker's message stays server-side (logged), the client gets the code.
          details: { cause: cause.code ?? cause.name },
          cause: new Error(cause.message),
        }),
      );
    }
    this.#dispatch(slot);
  }

  /** The submitter is gone: drop the job from the queue, or kill the worker proving it. */
  #abandon(task: Task): void {
    if (task.settled) return;
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) this.#queue.splice(queued, 1);
    const slot = this.#slots.find((s) => s.task === task);
    this.#settle(
      task,
      new ProverError('CLIENT_CLOSED', 'the client went away; its job was cancelled', {
        details: { stage: slot ? 'proving' : 'queued' },
      }),
    );
    if (slot) this.#replace(slot);
    this.#options.onChange?.();
    this.#notifyIdle();
  }

  #timeout(task: Task, timeoutMs: number): void {
    if (task.settled) return;
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) this.#queue.splice(queued, 1);
    const slot = this.#slots.find((s) => s.task === task);
    this.#settle(
      task,
      new ProverError('PROVE_TIMEOUT', `no proof within ${timeoutMs} ms; the job was cancelled`, {
        details: { timeoutMs, stage: slot ? 'proving' : 'queued' },
        retryAfterSeconds: this.retryAfterSeconds(),
      }),
    );
    if (slot) this.#replace(slot);
    this.#options.onChange?.();
  }

  #crashed(slot: Slot, error: unknown): void {
    if (!this.#slots.includes(slot) || this.#closing) return;
    const task = slot.task;
    if (task) {
      this.#settle(
        task,
        new ProverError('PROVE_FAILED', 'the proving worker stopped', {
          details: { cause: 'WORKER_EXITED' },
          cause: error,
        }),
      );
    }
    if (slot.started) this.#replace(slot);
    else {
      // It never started (a broken prove module?): try again a little later rather than in a tight loop.
      slot.task = undefined;
      setTimeout(() => this.#replace(slot), 1000).unref();
    }
  }

  /** Kills a slot's worker (cancelling its job) and puts a fresh worker in its place. */
  #replace(slot: Slot): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    const fresh = this.#spawn();
    this.#slots[index] = fresh;
    slot.task = undefined;
    void stop(slot.worker);
    this.#dispatch(fresh);
  }

  #dispatch(slot: Slot): void {
    const next = this.#queue.shift();
    if (next) this.#run(slot, next);
    this.#options.onChange?.();
    this.#notifyIdle();
  }

  #settle(task: Task, error: Error | undefined, result?: PoolResult): void {
    if (task.settled) return;
    task.settled = true;
    clearTimeout(task.timer);
    task.unlisten?.();
    if (error) task.reject(error);
    else if (result) task.resolve(result);
  }

  #notifyIdle(): void {
    if (this.inFlight > 0 || this.#queue.length > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/**
 * Kills a worker's process group (the worker and whatever it started) and resolves when the worker is gone.
 * A worker that already died may have left children: its group is killed all the same.
 */
function stop(worker: ChildProcess): Promise<void> {
  const exited = worker.exitCode !== null || worker.signalCode !== null;
  const gone = exited
    ? Promise.resolve()
    : new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  killGroup(worker);
  return gone;
}

function killGroup(worker: ChildProcess): void {
  try {
    // -pid: the group the worker leads (detached). ESRCH when nobody of it is left.
    if (worker.pid !== undefined) process.kill(-worker.pid, 'SIGKILL');
  } catch {
    // No group (the worker never started, or everything in it is gone): kill the worker itself if alive.
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
}
