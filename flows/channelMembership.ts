import type { Incident } from '../incidents/model';
import { noticeMessage, problemMessage } from '../slack/blocks/feedback';
import { commanderGoneLine, commanderMustHandOverMessage, PARTICIPANT_LIST_MAX } from '../slack/blocks/participantMessages';
import { channelMention } from '../slack/blocks/text';
import { greetArrival, type WelcomeDependencies } from './catchUp';
import type { FlowDependencies } from './dependencies';
import { type Reply, replyAfterSubmission } from './reply';

/**
 * Who is in an incident's channel: people joining (invited, or with "Join incident"), leaving
 * and writing there. Slack says who moved; the domain records it; this tells the people concerned.
 */

type MembershipDependencies = WelcomeDependencies & Pick<FlowDependencies, 'logger'>;
type JoinDependencies = MembershipDependencies & Pick<FlowDependencies, 'incidents' | 'users'>;

/**
 * Someone joined the incident channel: a participant (again), greeted privately within seconds:
 * the first join with the welcome (the catch-up, their role, first steps), a return with a catch-up.
 * After the greeting, a newcomer's profile is looked up ahead (the first arrivals of an incident,
 * as many as the participant list names), so the list asked for next is answered in its ack.
 */
export async function memberJoined(deps: JoinDependencies, request: { incidentId: number; userId: string }): Promise<void> {
  const joined = await deps.participants.join(request.incidentId, request.userId);
  // A repeated join (the commander added back after leaving) is not a new arrival. Only a new
  // one needs the whole incident (read now, so the catch-up shows it as it is).
  if (!joined?.changed) return;
  const incident = await deps.incidents.get(request.incidentId);
  if (!incident) return;
  await greetArrival(deps, incident, request.userId, joined.firstJoin);
  if (joined.firstJoin) await deps.users.warm(incident.id, request.userId, PARTICIPANT_LIST_MAX);
}

/** Someone left: recorded as gone; the commander is added back and asked to hand over first. */
export async function memberLeft(deps: MembershipDependencies, request: { incident: Incident; userId: string }): Promise<void> {
  const left = await deps.participants.leave(request.incident.id, request.userId);
  if (left.kind === 'commander_must_hand_over') await bringBackCommander(deps, request.incident, request.userId);
}

/**
 * A person's message in the incident channel counts as activity (its text is never kept);
 * counted once per delivery key (the event's id), however often the stored event runs.
 */
export async function memberWrote(
  deps: Pick<FlowDependencies, 'participants'>,
  request: { incidentId: number; userId: string; deliveryKey: string },
) {
  await deps.participants.recordActivity(request.incidentId, request.userId, request.deliveryKey);
}

/**
 * The commander left the channel of an incident that is not closed: they are invited back and
 * asked to hand the role over first. When they cannot be added back, they are recorded as gone
 * and the channel is told the role needs someone.
 */
async function bringBackCommander(deps: MembershipDependencies, incident: Incident, userId: string): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId) return;
  const invite = await deps.gateway.invite(channelId, [userId]);
  const failure = invite.failed[0];
  if (!failure) {
    await replyAfterSubmission(deps, userId, incident)(commanderMustHandOverMessage(incident, deps.settings.commands.assignRole));
    return;
  }
  deps.logger.warn('could not add the incident commander back', { slackError: failure.error.slackCode });
  await deps.participants.leave(incident.id, userId, { commanderMayLeave: true });
  await deps.gateway.postMessage(
    channelId,
    commanderGoneLine(incident, userId, failure.error.plainWords, deps.settings.commands.assignRole),
  );
}

/**
 * "Join incident" on an announcement: invites whoever clicked, unless the incident is
 * restricted (only its commander invites people) or closed (nothing left to join).
 */
export async function joinFromAnnouncement(
  deps: Pick<FlowDependencies, 'gateway'>,
  request: { incident: Incident; userId: string; reply: Reply },
): Promise<void> {
  const { incident, reply } = request;
  if (incident.visibility === 'restricted') {
    await reply(problemMessage(`${incident.name} is restricted: only people its commander invites can join.`));
    return;
  }
  if (incident.status === 'closed') {
    await reply(problemMessage(`${incident.name} is closed, so there is nothing to join. Its channel keeps the history.`));
    return;
  }
  if (!incident.channelId) {
    await reply(problemMessage(`${incident.name} has no channel yet; try again in a minute.`));
    return;
  }
  const outcome = await deps.gateway.invite(incident.channelId, [request.userId]);
  if (outcome.failed.length > 0) throw outcome.failed[0].error;
  const where = channelMention(incident.channelId);
  await reply(noticeMessage(outcome.invited.length > 0 ? `You joined ${incident.name}: ${where}` : `You are already in ${where}.`));
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { memberJoined, memberLeft, memberWrote, joinFromAnnouncement };
