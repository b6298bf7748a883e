import { incidentCommand } from '../common/incidentCommand';
import { showResourceList } from '../useCases/resources';

/** /dispatch-list-resources: the incident's channel and links, privately, with "Add resource". */
export const listResourcesCommand = incidentCommand({
  setting: 'listResources',
  description: "List this incident's channel, documents, tickets, conferences and dashboards",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await showResourceList(deps, incident, command.response_url, false);
  },
});
