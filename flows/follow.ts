import type { Incident, StatusReport } from '../incidents/model';
import { followConfirmation, followerReportUpdate, followerStatusUpdate, unfollowConfirmation } from '../slack/blocks/follow';
import type { SlackMessage } from '../slack/blocks/message';

import type { FlowDependencies } from './dependencies';
import type { Reply } from './reply';

export type FollowDependencies = Pick<FlowDependencies, 'follows' | 'deferred' | 'links'>;

/** Follow (the announcement's button, `/dispatch follow`): refused privately when not allowed. */
export async function followIncident(
  deps: Pick<FlowDependencies, 'follows'>,
  request: { incident: Incident; userId: string; reply: Reply },
): Promise<void> {
  const changed = await deps.follows.follow(request.incident, request.userId);
  await request.reply(followConfirmation(request.incident, changed));
}

export async function unfollowIncident(
  deps: Pick<FlowDependencies, 'follows'>,
  request: { incident: Incident; userId: string; reply: Reply },
): Promise<void> {
  const changed = await deps.follows.unfollow(request.incident.id, request.userId);
  await request.reply(unfollowConfirmation(request.incident, changed));
}

/**
 * One DM per follower, through the durable work queue like other background posts: a Slack
 * outage or a killed process delays them, never loses them, and one follower Slack refuses does
 * not stop the others. `key` names the change, so handing the same change over twice sends once.
 */
async function tellEach(deps: FollowDependencies, followers: string[], except: string | null, message: SlackMessage, key: string) {
  for (const userId of followers) {
    if (userId !== except) await deps.deferred.directMessage(userId, message, `follow:${key}:${userId}`);
  }
}

/** After a status change: followers get a DM; a close is the last one and ends following. */
export async function tellFollowersOfStatus(deps: FollowDependencies, incident: Incident, actorId: string): Promise<void> {
  const followers = await deps.follows.followers(incident.id);
  const key = `status:${incident.id}:${incident.status}:${incident.updatedAt.getTime()}`;
  if (followers.length > 0) await tellEach(deps, followers, actorId, followerStatusUpdate(incident, actorId, deps.links), key);
  // Ended only once the last DMs are in the queue: stopped in between, nobody's last DM is lost.
  if (incident.status === 'closed') await deps.follows.endFollowing(incident.id);
}

/** After a status report: followers get it by DM (its author does not). */
export async function tellFollowersOfReport(deps: FollowDependencies, incident: Incident, report: StatusReport): Promise<void> {
  if (incident.status === 'closed') return;
  const followers = await deps.follows.followers(incident.id);
  if (followers.length === 0) return;
  await tellEach(deps, followers, report.authorId, followerReportUpdate(incident, report, deps.links), `report:${report.id}`);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { followIncident, unfollowIncident };
