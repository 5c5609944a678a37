/** A progress report during a long step. */
export interface Progress {
  /** What is running now (e.g. `G1 points A`). */
  readonly stage: string;
  /** Overall completion, 0 to 1. */
  readonly fraction: number;
  /** Seconds since the step started. */
  readonly elapsedSeconds: number;
  /** Estimated seconds left, once enough work is done to guess. */
  readonly etaSeconds?: number;
}

/** Receives {@link Progress} reports. */
export type ProgressCallback = (progress: Progress) => void;

/**
 * Turns units of work done into throttled {@link Progress} reports with an ETA (linear extrapolation).
 *
 * @example
 * ```ts
 * const tracker = new ProgressTracker(1000, (p) => console.log(p.fraction));
 * tracker.advance('hashing', 500);
 * ```
 */
export class ProgressTracker {
  private done = 0;
  private readonly started = Date.now();
  private lastReport = 0;

  constructor(
    private readonly totalUnits: number,
    private readonly onProgress?: ProgressCallback,
    private readonly intervalMs = 1000,
  ) {}

  /** Adds `units` of finished work in `stage` and reports if the interval has passed. */
  advance(stage: string, units: number, force = false): void {
    this.done += units;
    this.report(stage, force);
  }

  /** Marks all work done and reports it. */
  finish(stage: string): void {
    this.done = this.totalUnits;
    this.report(stage, true);
  }

  /** Reports the current state (always, when `force`). */
  report(stage: string, force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < this.intervalMs) return;
    this.lastReport = now;
    const fraction = Math.min(1, this.totalUnits > 0 ? this.done / this.totalUnits : 1);
    const elapsedSeconds = (now - this.started) / 1000;
    const etaSeconds = fraction > 0.02 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined;
    this.onProgress({ stage, fraction, elapsedSeconds, ...(etaSeconds === undefined ? {} : { etaSeconds }) });
  }
}

/**
 * Formats a progress report as one log line: `[stage] 42.0% elapsed 1m05s, about 1m30s left`.
 *
 * @example
 * ```ts
 * formatProgress({ stage: 'H', fraction: 0.5, elapsedSeconds: 10, etaSeconds: 10 });
 * ```
 */
export function formatProgress(p: Progress): string {
  const eta = p.etaSeconds === undefined ? '' : `, about ${formatSeconds(p.etaSeconds)} left`;
  return `[${p.stage}] ${(p.fraction * 100).toFixed(1)}% elapsed ${formatSeconds(p.elapsedSeconds)}${eta}`;
}

/**
 * `75` → `1m15s`.
 *
 * @example
 * ```ts
 * formatSeconds(75); // '1m15s'
 * ```
 */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
