/**
 * How late the event loop is running now: a timer that should fire every `intervalMs` measures
 * how much later than that it fires. The last few samples' worst is the figure, so one slow
 * turn counts for a moment and then is forgotten. Unref'd: it never keeps the process alive.
 */
export class EventLoopLag {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(
    private readonly intervalMs = 20,
    private readonly window = 5,
  ) {}

  start(): this {
    if (this.timer) return this;
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.samples.push(Math.max(0, now - this.last - this.intervalMs));
      if (this.samples.length > this.window) this.samples.shift();
      this.last = now;
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

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.samples.length = 0;
  }
}
