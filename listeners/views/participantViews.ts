import { ROLE_LABELS, ROLES } from '../../incidents/model';
import { VIEWS } from '../../slack/blocks/ids';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';
import { hasIncidentId, ViewAnswers } from '../viewState';

/**
 * The assign-role form. Refused inline (the form stays open) when the person or role is
 * missing, the person is the app, the role is already theirs, or the submitter may no longer
 * assign roles (SLACK_RESTRICTED_COMMANDS: the form may have been opened by someone who has
 * handed their role over since); otherwise the role is assigned after the ack.
 */
const submitAssignRole = incidentForm(
  {
    isMetadata: hasIncidentId,
    errorField: 'assignee',
    restricted: {
      command: 'assignRole',
      problem: (incident) =>
        `Only the ${ROLE_LABELS.commander} or a ${ROLE_LABELS.scribe} of ${incident.name} can assign roles now. Nothing was changed.`,
    },
  },
  async ({ ack, view, body }, deps, incident) => {
    const answers = new ViewAnswers(view.state.values);
    const userId = answers.user('assignee');
    const role = ROLES.find((candidate) => candidate === answers.option('role'));
    const errors: Record<string, string> = {};
    if (!userId) errors.assignee = 'Pick a person.';
    else if (userId === deps.botUserId) errors.assignee = 'The app cannot hold a role; pick a person.';
    if (!role) errors.role = 'Pick a role.';
    if (userId && role && !errors.assignee && (await deps.participants.rolesOf(incident.id, userId)).includes(role)) {
      errors.role = `They are already the ${ROLE_LABELS[role]} in ${incident.name}; nothing would change.`;
    }
    if (Object.keys(errors).length > 0 || !userId || !role) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deps.flows.assignRole({
      incidentId: incident.id,
      userId,
      role,
      actorId: body.user.id,
      reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    });
  },
);

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.assignRole, type: 'view_submission' }, (args) => submitAssignRole(args, deps));
}
