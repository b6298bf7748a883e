import { incidentCommand } from '../incidentScope';

/** /dispatch-list-participants: privately, who takes part, in which roles, since when, how active. */
export const listParticipantsCommand = incidentCommand({
  setting: 'listParticipants',
  slug: { env: 'SLACK_COMMAND_LIST_PARTICIPANTS_SLUG', default: '/dispatch-list-participants', doc: "Lists the incident's participants." },
  description: "List this incident's participants: roles, when they joined, last activity",
  async handle({ command, ack }, deps, incident) {
    // Usually everything it shows is at hand: then the answer is the ack, and nothing is posted.
    const now = await deps.flows.participantListNow({ incident });
    if (now) {
      await ack(now);
      return;
    }
    await ack();
    await deps.flows.answerParticipantList({ incident, responseUrl: command.response_url });
  },
});
