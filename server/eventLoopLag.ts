import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/**
 * How late the event loop is running now: a timer that should fire every `intervalMs` measures
 * how much later than that it fires. The last few samples' worst is the figure, so one slow
 * turn counts for a moment and then is forgotten. Unref'd: it never keeps the process alive.
 * The same timer measures how busy the loop was over those samples (`utilization`): a loop
 * answering requests back to back is never late by much, but has no time to spare.
 */
export class EventLoopLag {
  private readonly samples: number[] = [];
  private readonly busyShares: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private lastUtilization: EventLoopUtilization | undefined;

  constructor(
    private readonly intervalMs = 20,
    private readonly window = 5,
  ) {}

  start(): this {
    if (this.timer) return this;
    this.last = performance.now();
    this.lastUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.samples.push(Math.max(0, now - this.last - this.intervalMs));
      if (this.samples.length > this.window) this.samples.shift();
      this.last = now;
      const utilization = performance.eventLoopUtilization();
      this.busyShares.push(performance.eventLoopUtilization(utilization, this.lastUtilization).utilization);
      if (this.busyShares.length > this.window) this.busyShares.shift();
      this.lastUtilization = utilization;
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** The worst lag of the recent samples, in ms (0 before the first). */
  get ms(): number {
    // The current turn counts too: a loop blocked right now has not let the timer run.
    const pending = this.timer ? Math.max(0, performance.now() - this.last - this.intervalMs) : 0;
    return Math.max(pending, ...this.samples);
  }

  /** The share of the recent samples' time the loop spent running code (0 to 1; 0 before the first). */
  get utilization(): number {
    if (this.busyShares.length === 0) return 0;
    return this.busyShares.reduce((sum, share) => sum + share, 0) / this.busyShares.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.samples.length = 0;
    this.busyShares.length = 0;
  }
}
