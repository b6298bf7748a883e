import type { FlowDependencies } from '../flows/dependencies';
import { type ReminderScanResult, sendDueReminders } from '../flows/statusReportReminders';

type ReminderJobDependencies = Parameters<typeof sendDueReminders>[0] & Pick<FlowDependencies, 'logger'>;

/**
 * Runs the status report reminder scan (flows/statusReportReminders.ts) every
 * STATUS_REPORT_REMINDER_CHECK_INTERVAL. A scan in progress is joined, never doubled, and
 * waited for on stop so the store can close after it.
 */
export class ReminderJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReminderScanResult> | undefined;

  constructor(
    private readonly deps: ReminderJobDependencies,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) =>
        this.deps.logger.error('status report reminder scan failed', { error: error instanceof Error ? error.message : String(error) }),
      );
    }, this.intervalMs);
    // A pending scan never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Stops scanning and waits for a scan in progress, so the store can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One scan now. A scan already running is joined, not doubled. */
  runOnce(): Promise<ReminderScanResult> {
    this.running ??= sendDueReminders(this.deps).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
