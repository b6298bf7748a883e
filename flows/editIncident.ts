import type { EditIncidentInput } from '../incidents/incidentService';
import type { Incident } from '../incidents/model';
import { noticeMessage } from '../slack/blocks/feedback';
import { editLine } from '../slack/blocks/incident';
import { editIncidentModal } from '../slack/blocks/incidentModals';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { announceStatus, type StatusAnnouncementDependencies } from './statusChange';
import { postStep, reportOutcome, type StepFailure } from './steps';
import { recordSubmission, type Submission } from './submission';

/** The edit form, prefilled with the incident as it is (the command and the summary's Edit button). */
export async function openEditForm(
  deps: Pick<FlowDependencies, 'gateway' | 'settings'>,
  request: { triggerId: string; incident: Incident },
): Promise<void> {
  await deps.gateway.openView(request.triggerId, editIncidentModal(request.incident, deps.settings.incident));
}

/** Applies an edit, tells the channel what changed (old -> new, by whom), and refreshes the incident's presence. */
export async function editIncident(
  deps: StatusAnnouncementDependencies & Pick<FlowDependencies, 'incidents'>,
  request: { incidentId: number; input: EditIncidentInput; actorId: string; reply: Reply; submission?: Submission },
): Promise<void> {
  const edited = await recordSubmission(request.submission, (submissionKey) =>
    deps.incidents.edit(request.incidentId, request.input, request.actorId, { submissionKey }),
  );
  if (!edited) return;
  const { incident, changes, status } = edited;
  if (changes.length === 0) {
    await request.reply(noticeMessage(`Nothing changed in ${incident.name}.`));
    return;
  }
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  if (channelId) {
    await postStep(deps, failures, 'Posting the changes in the channel', channelId, editLine(incident, changes, request.actorId));
  }
  if (status) {
    failures.push(...(await announceStatus(deps, incident, request.actorId, { post: false })));
  } else {
    const topicChanged = changes.some((change) => change.field === 'priority');
    failures.push(...(await refreshIncidentChannel(deps, incident, { topic: topicChanged })));
  }
  await deferFailedSteps(deps.deferred, incident, failures);
  await reportOutcome(request.reply, `${incident.name} was updated`, failures);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openEditForm, editIncident };
