import type { Incident } from '../../incidents/model';
import type { Dependencies } from '../../server/dependencies';
import type { SlackMessage } from '../../slack/gateway';

/** How a use case answers the person who asked, privately. */
export type Reply = (message: SlackMessage) => Promise<void>;

/** Through the request's response_url (commands, buttons, shortcuts). */
export function replyByResponseUrl(deps: Dependencies, responseUrl: string): Reply {
  return (message) => deps.gateway.respond(responseUrl, message);
}

/** For modal submissions: privately in the incident channel, or by DM when there is no channel. */
export function replyAfterSubmission(deps: Dependencies, userId: string, incident?: Incident): Reply {
  return async (message) => {
    if (incident?.channelId) {
      try {
        await deps.gateway.postEphemeral(incident.channelId, userId, message);
        return;
      } catch {
        // Not in the channel (or it is archived): a DM still reaches them.
      }
    }
    await deps.gateway.sendDirectMessage(userId, message);
  };
}
