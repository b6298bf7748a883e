import { SNOOZE_MINUTES } from '../incidents/reminders';
import { reminderMessage, snoozedReminderMessage } from '../slack/blocks/statusReport';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';

export interface ReminderScanResult {
  /** Reminders sent by this scan. */
  sent: number;
  /** Reminders due but claimed already (sent earlier, or by another replica). */
  skipped: number;
  /** Reminders whose sending failed; their claim was given back for the next scan. */
  failed: number;
}

/**
 * Sends each due status report reminder to the incident's commander. Every replica scans; the
 * claim in the database makes each reminder go out once, also across restarts.
 */
export async function sendDueReminders(
  deps: Pick<FlowDependencies, 'reminders' | 'gateway' | 'links' | 'logger'>,
): Promise<ReminderScanResult> {
  const { reminders, gateway, links, logger } = deps;
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

/** "Snooze" in a reminder: no reminder before then; the reminder says so in place. Returns the incident's name. */
export async function snoozeReminder(
  deps: Pick<FlowDependencies, 'reminders' | 'gateway' | 'clock'>,
  request: { incidentId: number; minutes: number; responseUrl: string },
): Promise<string> {
  const incident = await deps.reminders.snooze(request.incidentId, request.minutes);
  const until = incident.reminderSnoozedUntil ?? deps.clock.now();
  await deps.gateway.respond(request.responseUrl, { ...snoozedReminderMessage(incident, until, request.minutes), replaceOriginal: true });
  return incident.name;
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { snoozeReminder };
