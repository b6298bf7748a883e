import type { FlowDependencies } from '../flows/dependencies';
import { type ReminderScanResult, sendDueReminders } from '../flows/statusReportReminders';
import { PeriodicScan } from './periodicScan';

type ReminderJobDependencies = Parameters<typeof sendDueReminders>[0] & Pick<FlowDependencies, 'logger'>;

/**
 * Runs the status report reminder scan (flows/statusReportReminders.ts) every
 * STATUS_REPORT_REMINDER_CHECK_INTERVAL. A scan in progress is joined, never doubled, and
 * waited for on stop so the store can close after it.
 */
export class ReminderJob extends PeriodicScan<ReminderScanResult> {
  constructor(deps: ReminderJobDependencies, intervalMs: number) {
    super('status report reminder scan', () => sendDueReminders(deps), intervalMs, deps.logger);
  }
}
