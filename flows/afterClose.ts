import type { Incident } from '../incidents/model';
import type { Dependencies } from '../server/dependencies';
import { PermanentWorkError } from '../server/jobs/workQueueWorker';
import type { JsonValue } from '../store/workQueue';
import { askDueFeedback, askForFeedback } from './feedback';
import { type FollowUpReminderScan, remindOverdueFollowUps } from './followUps';
import { POSTMORTEM_UPLOAD_WORK, uploadPostmortem } from './postmortem';

function incidentIdOf(payload: JsonValue): number {
  const incidentId = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload.incidentId : undefined;
  if (typeof incidentId !== 'number') throw new PermanentWorkError('postmortem upload without an incident id');
  return incidentId;
}

/** Registers the after-close work kinds with the work queue (every replica registers the same). */
export function registerAfterCloseWork(deps: Dependencies): void {
  deps.work.register(POSTMORTEM_UPLOAD_WORK, async (payload) => {
    const incident = await deps.incidents.get(incidentIdOf(payload));
    if (!incident?.channelId) return;
    await uploadPostmortem(deps, incident, null);
  });
}

/**
 * What follows a close: the postmortem draft goes to the channel (through the work queue, so a
 * Slack outage delays it instead of losing it; inline when the channel is about to be archived)
 * and, unless delayed or turned off, everyone who took part is asked for feedback.
 */
export async function incidentClosed(deps: Dependencies, incident: Incident): Promise<void> {
  const { afterClose } = deps.settings;
  if (afterClose.postmortemOnClose && incident.channelId) {
    if (deps.settings.incident.archiveOnClose) {
      await uploadPostmortem(deps, incident, null);
    } else {
      await deps.store.workQueue.enqueue({
        kind: POSTMORTEM_UPLOAD_WORK,
        payload: { incidentId: incident.id },
        // Once per close: a reopened and closed-again incident gets a fresh draft.
        dedupeKey: `${incident.id}:${incident.closedAt?.toISOString() ?? ''}`,
      });
      deps.work.wake();
    }
  }
  if (afterClose.feedbackEnabled && afterClose.feedbackDelayMs === 0) await askForFeedback(deps, incident);
}

export interface AfterCloseScan {
  followUps: FollowUpReminderScan;
  feedback: { asked: number; failed: number };
}

/**
 * Every AFTER_CLOSE_CHECK_INTERVAL: the daily reminders of overdue follow-ups, and feedback forms
 * whose delay has passed. Every replica scans; claims in the database make each go out once.
 */
export class AfterCloseScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AfterCloseScan> | undefined;

  constructor(
    private readonly deps: Dependencies,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) =>
        this.deps.logger.error('after-close scan failed', { error: error instanceof Error ? error.message : String(error) }),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One scan now; a scan already running is joined, not doubled. */
  runOnce(): Promise<AfterCloseScan> {
    this.running ??= (async () => ({
      followUps: await remindOverdueFollowUps(this.deps),
      feedback: await askDueFeedback(this.deps),
    }))().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
