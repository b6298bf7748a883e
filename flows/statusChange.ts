import { DomainError } from '../incidents/errors';
import { STATUS_LABELS } from '../incidents/incidentService';
import type { Incident, IncidentStatus } from '../incidents/model';
import { problemMessage } from '../slack/blocks/feedback';
import { statusChangeLine } from '../slack/blocks/incident';
import { resolutionModal } from '../slack/blocks/incidentModals';
import { type AfterCloseDependencies, incidentClosed } from './afterClose';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type FollowDependencies, tellFollowersOfStatus } from './follow';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { attemptStep, postStep, reportOutcome, type StepFailure } from './steps';
import { recordSubmission, type Submission } from './submission';

/** What announcing a status change uses: the channel post, the incident channel's refresh, archiving. */
export type StatusAnnouncementDependencies = IncidentChannelDependencies &
  FollowDependencies &
  AfterCloseDependencies &
  Pick<FlowDependencies, 'clock'>;
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
  let changed: Awaited<ReturnType<typeof deps.incidents.changeStatus>> | undefined;
  try {
    changed = await recordSubmission(request.submission, (submissionKey) =>
      deps.incidents.changeStatus(request.incidentId, request.target, request.actorId, request.resolution, { submissionKey }),
    );
  } catch (error) {
    // Nothing changed, so nothing is posted: only the person who asked hears it, in the channel (never a DM).
    if (error instanceof DomainError && error.code === 'same_status') {
      await request.reply(problemMessage(error.message));
      return;
    }
    throw error;
  }
  if (!changed) return;
  const { incident } = changed;
  const failures = await announceStatus(deps, incident, request.actorId);
  await deferFailedSteps(deps.deferred, incident, failures);
  await reportOutcome(request.reply, `${incident.name} is now ${STATUS_LABELS[incident.status]}`, failures);
}

/**
 * After a status change: one post in the channel (a close carries its resolution; an edit posted
 * its own line already), the summary/topic/announcement edited in place, followers told, archive.
 */
export async function announceStatus(
  deps: StatusAnnouncementDependencies,
  incident: Incident,
  actorId: string,
  options: { post?: boolean } = {},
): Promise<StepFailure[]> {
  const { gateway, settings, clock } = deps;
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  const attempt = (step: string, work: () => Promise<unknown>) => attemptStep(deps.logger, failures, step, work);
  if (channelId && options.post !== false) {
    await postStep(deps, failures, 'Posting the status change in the channel', channelId, statusChangeLine(incident, actorId, clock.now()));
  }
  failures.push(...(await refreshIncidentChannel(deps, incident, { topic: true })));
  await tellFollowersOfStatus(deps, incident, actorId);
  if (incident.status === 'closed') await attempt('Starting the postmortem draft and feedback', () => incidentClosed(deps, incident));
  if (channelId && incident.status === 'closed' && settings.incident.archiveOnClose) {
    await attempt('Archiving the channel', () => gateway.archive(channelId));
  }
  return failures;
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { requestStatusChange, completeStatusChange };
