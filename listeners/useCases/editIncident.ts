import type { EditIncidentInput } from '../../incidents/service';
import type { Dependencies } from '../../server/dependencies';
import { noticeMessage } from '../../slack/blocks/feedback';
import { editLine } from '../../slack/blocks/incident';
import { attemptStep, type StepFailure } from '../../slack/steps';
import type { Reply } from '../common/reply';
import { announceStatus, reportOutcome } from './incidentStatus';

/** Applies an edit, tells the channel what changed (old -> new, by whom), and refreshes the incident's presence. */
export async function editIncident(
  deps: Dependencies,
  request: { incidentId: number; input: EditIncidentInput; actorId: string; reply: Reply },
): Promise<void> {
  const { incident, changes, status } = await deps.incidents.edit(request.incidentId, request.input, request.actorId);
  if (changes.length === 0) {
    await request.reply(noticeMessage(`Nothing changed in ${incident.name}.`));
    return;
  }
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  if (channelId) {
    await attemptStep(deps.logger, failures, 'Posting the changes in the channel', () =>
      deps.gateway.postMessage(channelId, editLine(incident, changes, request.actorId)),
    );
  }
  if (status) {
    failures.push(...(await announceStatus(deps, incident, request.actorId, { post: false })));
  } else {
    const topicChanged = changes.some((change) => change.field === 'priority');
    failures.push(...(await deps.presence.refresh(incident, { topic: topicChanged })));
  }
  await reportOutcome(request.reply, `${incident.name} was updated`, failures);
}
