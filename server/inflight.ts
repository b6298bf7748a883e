/**
 * Counts work still running after Slack got its ack, so shutdown (and tests) can wait for it
 * instead of cutting a half-created incident off. With a limit it also tells work after an ack
 * that can wait to go to the durable work queue instead of holding memory here.
 */
export class InFlightWork {
  private running = 0;
  private waiters: Array<() => void> = [];

  /** `limit`: requests this process holds in memory before `overLimit()` says to store what can wait. */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** True when more than `limit` requests are running (the one asking counts itself). */
  overLimit(): boolean {
    return this.running > this.limit;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      if (this.running === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  get count(): number {
    return this.running;
  }

  /** Resolves when nothing is running, or after `timeoutMs` (then returns false). */
  idle(timeoutMs = 30_000): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }
}
