import { incidentCommand } from '../incidentScope';

/** /dispatch-list-resources: the incident's channel and links, privately, with "Add resource". */
export const listResourcesCommand = incidentCommand({
  setting: 'listResources',
  slug: { env: 'SLACK_COMMAND_LIST_RESOURCES', default: '/dispatch-list-resources', doc: "Lists the incident's resources." },
  description: "List this incident's channel, documents, tickets, conferences and dashboards",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.flows.showResourceList(incident, command.response_url, false);
  },
});
