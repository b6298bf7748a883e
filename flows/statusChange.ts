import { STATUS_LABELS } from '../incidents/incidentService';
import type { Incident, IncidentStatus } from '../incidents/model';
import { closingSummary, statusChangeLine } from '../slack/blocks/incident';
import { resolutionModal } from '../slack/blocks/incidentModals';
import { type AfterCloseDependencies, incidentClosed } from './afterClose';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { attemptStep, postStep, reportOutcome, type StepFailure } from './steps';
import { recordSubmission, type Submission } from './submission';

/** What announcing a status change uses: the channel post, the incident channel's refresh, archiving. */
export type StatusAnnouncementDependencies = IncidentChannelDependencies & AfterCloseDependencies & Pick<FlowDependencies, 'clock'>;
type StatusChangeDependencies = StatusAnnouncementDependencies & Pick<FlowDependencies, 'incidents'>;

/**
 * Mark active, stable or closed, from a command or a summary button. Closing without a
 * resolution asks for one first (a modal); the change itself happens in completeStatusChange.
 */
export async function requestStatusChange(
  deps: StatusChangeDependencies,
  request: { incident: Incident; target: IncidentStatus; actorId: string; triggerId: string; reply: Reply },
): Promise<void> {
  const { incident, target } = request;
  if (target === 'closed' && incident.status !== 'closed' && deps.incidents.needsResolution(incident)) {
    await deps.gateway.openView(request.triggerId, resolutionModal(incident));
    return;
  }
  await completeStatusChange(deps, { incidentId: incident.id, target, actorId: request.actorId, reply: request.reply });
}

export async function completeStatusChange(
  deps: StatusChangeDependencies,
  request: { incidentId: number; target: IncidentStatus; actorId: string; reply: Reply; resolution?: string; submission?: Submission },
): Promise<void> {
  const changed = await recordSubmission(request.submission, (submissionKey) =>
    deps.incidents.changeStatus(request.incidentId, request.target, request.actorId, request.resolution, { submissionKey }),
  );
  if (!changed) return;
  const { incident } = changed;
  const failures = await announceStatus(deps, incident, request.actorId);
  await deferFailedSteps(deps.deferred, incident, failures);
  await reportOutcome(request.reply, `${incident.name} is now ${STATUS_LABELS[incident.status]}`, failures);
}

/** After a status change: one line in the channel, the closing summary, summary/topic/announcement, archive. */
export async function announceStatus(deps: StatusAnnouncementDependencies, incident: Incident, actorId: string): Promise<StepFailure[]> {
  const { gateway, settings, clock } = deps;
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  const attempt = (step: string, work: () => Promise<unknown>) => attemptStep(deps.logger, failures, step, work);
  if (channelId) {
    await postStep(deps, failures, 'Posting the status change in the channel', channelId, statusChangeLine(incident, actorId, clock.now()));
    if (incident.status === 'closed') {
      await attempt('Posting the closing summary', () => gateway.postMessage(channelId, closingSummary(incident, clock.now())));
    }
  }
  failures.push(...(await refreshIncidentChannel(deps, incident, { topic: true })));
  if (incident.status === 'closed') await attempt('Starting the postmortem draft and feedback', () => incidentClosed(deps, incident));
  if (channelId && incident.status === 'closed' && settings.incident.archiveOnClose) {
    await attempt('Archiving the channel', () => gateway.archive(channelId));
  }
  return failures;
}
