import { incidentCommand } from '../incidentScope';

/** /dispatch-edit-incident: opens the edit form prefilled with the incident as it is. */
export const editIncidentCommand = incidentCommand({
  setting: 'editIncident',
  slug: { env: 'SLACK_COMMAND_EDIT_INCIDENT', default: '/dispatch-edit-incident', doc: "Edits the incident's details." },
  description: "Edit this incident's title, description, resolution, type, priority, visibility or status",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.flows.openEditForm({ triggerId: command.trigger_id, incident });
  },
});
