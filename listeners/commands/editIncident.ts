import { editIncidentModal } from '../../slack/blocks/incidentModals';
import { incidentCommand } from '../common/incidentCommand';

/** /dispatch-edit-incident: opens the edit form prefilled with the incident as it is. */
export const editIncidentCommand = incidentCommand({
  setting: 'editIncident',
  description: "Edit this incident's title, description, resolution, type, priority, visibility or status",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.gateway.openView(command.trigger_id, editIncidentModal(incident, deps.settings.incident));
  },
});
