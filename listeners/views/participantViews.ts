import type { App, ViewSubmitAction } from '@slack/bolt';
import { ROLE_LABELS, ROLES } from '../../incidents/model';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { VIEWS } from '../../slack/blocks/ids';
import { replyAfterSubmission } from '../common/reply';
import { mayRun } from '../common/restrictions';
import { hasIncidentId, readMetadata, ViewAnswers } from '../common/viewState';
import type { ViewSubmissionArgs } from '../types';
import { assignRole } from '../useCases/participants';

/**
 * The assign-role form. Refused inline (the form stays open) when the person or role is
 * missing, the person is the app, the role is already theirs, or the submitter may no longer
 * assign roles (SLACK_RESTRICTED_COMMANDS); otherwise the role is assigned after the ack.
 */
async function submitAssignRole({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, hasIncidentId);
  const answers = new ViewAnswers(view.state.values);
  const userId = answers.user('assignee');
  const role = ROLES.find((candidate) => candidate === answers.option('role'));
  const incident = metadata ? await deps.incidents.get(metadata.incidentId) : undefined;
  if (!incident) {
    await ack({ response_action: 'errors', errors: { assignee: 'This incident no longer exists; close this form.' } });
    return;
  }
  addToRequestContext({ incident: incident.name });
  const errors: Record<string, string> = {};
  if (!userId) errors.assignee = 'Pick a person.';
  else if (userId === deps.botUserId) errors.assignee = 'The app cannot hold a role; pick a person.';
  if (!role) errors.role = 'Pick a role.';
  if (userId && role && !errors.assignee && (await deps.participants.rolesOf(incident.id, userId)).includes(role)) {
    errors.role = `They are already the ${ROLE_LABELS[role]} in ${incident.name}; nothing would change.`;
  }
  // The form may have been opened by someone who has handed their role over since.
  if (!(await mayRun(deps, incident, body.user.id, deps.settings.commands.assignRole))) {
    errors.assignee = `Only the ${ROLE_LABELS.commander} or a ${ROLE_LABELS.scribe} of ${incident.name} can assign roles now. Nothing was changed.`;
  }
  if (Object.keys(errors).length > 0 || !userId || !role) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  await assignRole(deps, {
    incidentId: incident.id,
    userId,
    role,
    actorId: body.user.id,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

export function register(app: App, deps: Dependencies): void {
  app.view<ViewSubmitAction>({ callback_id: VIEWS.assignRole, type: 'view_submission' }, (args) => submitAssignRole(args, deps));
}
