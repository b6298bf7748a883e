import { assignRoleModal } from '../../slack/blocks/participantModals';
import { incidentCommand } from '../common/incidentCommand';
import { replyByResponseUrl } from '../common/reply';
import { listParticipants } from '../useCases/participants';

/** /dispatch-list-participants: privately, who takes part, in which roles, since when, how active. */
export const listParticipantsCommand = incidentCommand({
  setting: 'listParticipants',
  description: "List this incident's participants: roles, when they joined, last activity",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await listParticipants(deps, incident, replyByResponseUrl(deps, command.response_url));
  },
});

/** /dispatch-assign-role: opens the form (a person and a role). */
export const assignRoleCommand = incidentCommand({
  setting: 'assignRole',
  description: 'Give someone a role in this incident, or hand over the Incident Commander role',
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.gateway.openView(command.trigger_id, assignRoleModal(incident));
  },
});
