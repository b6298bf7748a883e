import { incidentCommand } from '../incidentScope';

/** /dispatch-assign-role: opens the form (a person and a role). */
export const assignRoleCommand = incidentCommand({
  setting: 'assignRole',
  slug: { env: 'SLACK_COMMAND_ASSIGN_ROLE', default: '/dispatch-assign-role', doc: 'Assigns a role to a participant.' },
  description: 'Give someone a role in this incident, or hand over the Incident Commander role',
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.flows.openAssignRoleForm({ triggerId: command.trigger_id, incident });
  },
});
