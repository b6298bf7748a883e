import { SNOOZE_MINUTES } from '../incidents/reminders';
import { reminderMessage } from '../slack/blocks/statusReport';
import { SlackCallError } from '../slack/errors';
import type { Dependencies } from './dependencies';

export interface ReminderScanResult {
  /** Reminders sent by this scan. */
  sent: number;
  /** Reminders due but claimed already (sent earlier, or by another replica). */
  skipped: number;
  /** Reminders whose sending failed; their claim was given back for the next scan. */
  failed: number;
}

type SchedulerDependencies = Pick<Dependencies, 'reminders' | 'gateway' | 'links' | 'logger'>;

/**
 * Looks for due status report reminders every STATUS_REPORT_REMINDER_CHECK_INTERVAL and sends
 * each one to the incident's commander. Every replica scans; the claim in the database makes
 * each reminder go out once, also across restarts.
 */
export class ReminderScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReminderScanResult> | undefined;

  constructor(
    private readonly deps: SchedulerDependencies,
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
    this.running ??= this.scan().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async scan(): Promise<ReminderScanResult> {
    const { reminders, gateway, links, logger } = this.deps;
    const result: ReminderScanResult = { sent: 0, skipped: 0, failed: 0 };
    for (const reminder of await reminders.due()) {
      const { incident } = reminder;
      if (!incident.commanderId) {
        logger.warn('status report due but the incident has no commander to remind', { incident: incident.name });
        continue;
      }
      if (!(await reminders.claim(reminder))) {
        result.skipped += 1;
        continue;
      }
      try {
        await gateway.sendDirectMessage(
          incident.commanderId,
          reminderMessage(incident, { ...reminder, snoozeMinutes: SNOOZE_MINUTES }, links),
        );
        result.sent += 1;
        logger.info('status report reminder sent', { incident: incident.name, dueAt: reminder.dueAt.toISOString() });
      } catch (error) {
        await reminders.release(reminder);
        result.failed += 1;
        logger.warn('status report reminder not sent; the next scan tries again', {
          incident: incident.name,
          slackError: error instanceof SlackCallError ? error.slackCode : undefined,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return result;
  }
}
