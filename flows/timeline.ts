import { DomainError } from '../incidents/errors';
import type { Incident } from '../incidents/model';
import { timelineExport, timelineModal } from '../slack/blocks/timeline';
import { messageTime } from '../slack/timestamps';
import type { FlowDependencies } from './dependencies';

/**
 * Adds a reacted-to message to the incident's timeline, once. A message already there is not
 * fetched again, so the tenth reaction costs one database read and no Web API call.
 */
export async function addMessageToTimeline(
  deps: Pick<FlowDependencies, 'timeline' | 'gateway' | 'clock' | 'logger'>,
  request: { incident: Incident; channelId: string; ts: string; fallbackAuthorId: string | null },
): Promise<void> {
  const { incident, channelId, ts } = request;
  if (await deps.timeline.hasMessage(incident.id, channelId, ts)) return;
  const message = await deps.gateway.fetchMessage(channelId, ts);
  const permalink = await deps.gateway.permalink(channelId, ts);
  const added = await deps.timeline.addMessage({
    incidentId: incident.id,
    channelId,
    messageId: ts,
    authorId: message?.userId ?? request.fallbackAuthorId,
    text: message?.text ?? '',
    postedAt: messageTime(ts) ?? deps.clock.now(),
    permalink,
  });
  if (added) deps.logger.info('message added to the timeline', { incident: incident.name });
}

export async function showTimeline(
  deps: Pick<FlowDependencies, 'timeline' | 'gateway'>,
  request: { triggerId: string; incident: Incident },
): Promise<void> {
  const { incident } = request;
  await deps.gateway.openView(request.triggerId, timelineModal(incident, await deps.timeline.list(incident.id)));
}

/**
 * Posts the whole timeline in the incident channel as a postmortem starting point (several
 * messages if long), then marks the timeline modal it was asked from as posted.
 */
export async function postTimeline(
  deps: Pick<FlowDependencies, 'timeline' | 'gateway' | 'users'>,
  request: { incident: Incident; actorId: string; viewId?: string },
): Promise<void> {
  const { incident } = request;
  const channelId = incident.channelId;
  if (!channelId) throw new DomainError(`${incident.name} has no channel to post its timeline in.`, 'no_channel');
  const events = await deps.timeline.list(incident.id);
  const actorIds = [...new Set(events.flatMap((event) => (event.actorId ? [event.actorId] : [])))];
  const profiles = await deps.users.profiles(actorIds);
  const names = new Map<string, string>();
  for (const [userId, profile] of profiles) names.set(userId, profile?.realName ?? userId);
  const messages = timelineExport(incident, events, names);
  // One after another: the parts must arrive in order.
  for (const message of messages) await deps.gateway.postMessage(channelId, message);
  if (request.viewId) await deps.gateway.updateView(request.viewId, timelineModal(incident, events, { postedBy: request.actorId }));
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { addMessageToTimeline, showTimeline, postTimeline };
