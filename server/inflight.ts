/**
 * Counts work still running after Slack got its ack, so shutdown (and tests) can wait for it
 * instead of cutting a half-created incident off. It bounds nothing: what runs after an ack is
 * bounded by AfterAckWork (server/receiver/afterAck.ts).
 */
export class InFlightWork {
  private running = 0;
  private waiters: Array<() => void> = [];

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
