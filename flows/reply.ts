import type { Incident } from '../incidents/model';
import type { SlackMessage } from '../slack/blocks/message';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';

/** How a flow answers the person who asked, privately. */
export type Reply = (message: SlackMessage) => Promise<void>;

type ReplyDependencies = Pick<FlowDependencies, 'gateway'>;

/** Through the request's response_url (commands, buttons, shortcuts). */
export function replyByResponseUrl(deps: ReplyDependencies, responseUrl: string): Reply {
  return (message) => deps.gateway.respond(responseUrl, message);
}

/** For modal submissions: privately in the incident channel, or by DM when there is no channel. */
export function replyAfterSubmission(deps: ReplyDependencies, userId: string, incident?: Incident): Reply {
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

/**
 * Redraws a message through the response_url it came with. False when Slack no longer accepts
 * that URL (over 30 minutes old, or used 5 times): then the caller confirms another way.
 */
export async function redrawnInPlace(redraw: () => Promise<void>): Promise<boolean> {
  try {
    await redraw();
    return true;
  } catch (error) {
    if (error instanceof SlackCallError) return false;
    throw error;
  }
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { replyByResponseUrl, replyAfterSubmission };
