import { incidentCommand } from '../incidentScope';

/** /dispatch-list-resources: the incident's channel and links, privately, with "Add resource". */
export const listResourcesCommand = incidentCommand({
  setting: 'listResources',
  slug: { env: 'SLACK_COMMAND_LIST_RESOURCES', default: '/dispatch-list-resources', doc: "Lists the incident's resources." },
  description: "List this incident's channel, documents, tickets, conferences and dashboards",
  async handle({ ack }, deps, incident) {
    // One query away: the list is the ack itself (private), and nothing is posted afterwards.
    await ack({ response_type: 'ephemeral', ...(await deps.flows.resourceList(incident)) });
  },
});
