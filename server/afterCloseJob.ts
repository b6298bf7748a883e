import { type AfterCloseScan, afterCloseScan } from '../flows/afterClose';
import type { AfterCloseQueue, FlowDependencies } from '../flows/dependencies';
import { type PostmortemDependencies, uploadPostmortem } from '../flows/postmortem';
import type { JsonValue, WorkEnqueuer } from '../store/workQueue';
import { PermanentWorkError, type WorkQueueWorker } from './jobs/workQueueWorker';
import { PeriodicScan } from './periodicScan';

/** Work kind: upload the postmortem draft of a close (retried with backoff by the work queue). */
export const POSTMORTEM_UPLOAD_WORK = 'postmortem.upload';

function incidentIdOf(payload: JsonValue): number {
  const incidentId = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload.incidentId : undefined;
  if (typeof incidentId !== 'number') throw new PermanentWorkError('postmortem upload without an incident id');
  return incidentId;
}

/** The after-close queue over the database's work queue; the worker runs the upload with retries. */
export function afterCloseQueue(queue: WorkEnqueuer, work: Pick<WorkQueueWorker, 'wake'>): AfterCloseQueue {
  return {
    async postmortemUpload(incident) {
      await queue.enqueue({
        kind: POSTMORTEM_UPLOAD_WORK,
        payload: { incidentId: incident.id },
        // Once per close: a reopened and closed-again incident gets a fresh draft.
        dedupeKey: `${incident.id}:${incident.closedAt?.toISOString() ?? ''}`,
      });
      work.wake();
    },
  };
}

/** Every replica registers the same handler. */
export function registerAfterCloseWork(work: WorkQueueWorker, deps: PostmortemDependencies & Pick<FlowDependencies, 'incidents'>): void {
  work.register(POSTMORTEM_UPLOAD_WORK, async (payload) => {
    const incident = await deps.incidents.get(incidentIdOf(payload));
    if (!incident?.channelId) return;
    await uploadPostmortem(deps, { incident, requestedBy: null });
  });
}

type AfterCloseJobDependencies = Parameters<typeof afterCloseScan>[0];

/**
 * Every AFTER_CLOSE_CHECK_INTERVAL: the daily reminders of overdue follow-ups and the feedback
 * forms whose delay has passed. Every replica scans; claims in the database make each go out once.
 */
export class AfterCloseJob extends PeriodicScan<AfterCloseScan> {
  constructor(deps: AfterCloseJobDependencies, intervalMs: number) {
    super('after-close scan', () => afterCloseScan(deps), intervalMs, deps.logger);
  }
}
