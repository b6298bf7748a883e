import type { AppLogger } from '../logging/logger';

/**
 * A scan run every `intervalMs` on every replica (claims in the database make each effect
 * happen once). A scan in progress is joined, never doubled, and waited for on stop so the
 * store can close after it. A pending scan never keeps the process alive on its own.
 */
export class PeriodicScan<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly name: string,
    private readonly scan: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly logger: AppLogger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) =>
        this.logger.error(`${this.name} failed`, { error: error instanceof Error ? error.message : String(error) }),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops scanning and waits for a scan in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One scan now. A scan already running is joined, not doubled. */
  runOnce(): Promise<T> {
    this.running ??= this.scan().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
