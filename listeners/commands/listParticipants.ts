import { incidentCommand } from '../incidentScope';

/** /dispatch-list-participants: privately, who takes part, in which roles, since when, how active. */
export const listParticipantsCommand = incidentCommand({
  setting: 'listParticipants',
  slug: { env: 'SLACK_COMMAND_LIST_PARTICIPANTS_SLUG', default: '/dispatch-list-participants', doc: "Lists the incident's participants." },
  description: "List this incident's participants: roles, when they joined, last activity",
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.flows.listParticipants({ incident, reply: deps.flows.replyByResponseUrl(command.response_url) });
  },
});
