import type { Incident, Role } from '../incidents/model';
import { ROLE_LABELS } from '../incidents/model';
import type { SlackMessage } from '../slack/blocks/message';
import {
  PARTICIPANT_LIST_MAX,
  participantList,
  roleAlreadyHeldMessage,
  roleAssignedLine,
  roleDutiesMessage,
} from '../slack/blocks/participantMessages';
import { assignRoleModal } from '../slack/blocks/participantModals';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { attemptStep, postStep, reportOutcome, type StepFailure } from './steps';

/**
 * The participant list when it can be answered at once, in the ack: the participants from the
 * store (one indexed read) and every profile it shows already in the directory's cache. Null
 * when a profile would need Slack; then `listParticipants` answers after the ack.
 */
export async function participantListNow(
  deps: Pick<FlowDependencies, 'participants' | 'users'>,
  request: { incident: Incident },
): Promise<SlackMessage | null> {
  const participants = await deps.participants.list(request.incident.id);
  const profiles = deps.users.knownProfiles(participants.slice(0, PARTICIPANT_LIST_MAX).map((participant) => participant.userId));
  return profiles ? participantList(request.incident, participants, profiles) : null;
}

/** Lists the participants; profiles come from the cached directory, only for those the answer can show. */
export async function listParticipants(
  deps: Pick<FlowDependencies, 'participants' | 'users'>,
  request: { incident: Incident; reply: Reply },
): Promise<void> {
  const { incident } = request;
  const participants = await deps.participants.list(incident.id);
  const profiles = await deps.users.profiles(participants.slice(0, PARTICIPANT_LIST_MAX).map((participant) => participant.userId));
  await request.reply(participantList(incident, participants, profiles));
}

/**
 * After an empty ack, the list on the response_url. How many of these run at once is the bound
 * on all work after an ack (server/receiver/afterAck.ts): past it the request itself is stored
 * and run again by the background work, which answers on the same response_url.
 */
export async function answerParticipantList(
  deps: Pick<FlowDependencies, 'participants' | 'users' | 'gateway'>,
  request: { incident: Incident; responseUrl: string },
): Promise<void> {
  const { incident, responseUrl } = request;
  await listParticipants(deps, { incident, reply: (message) => deps.gateway.respond(responseUrl, message) });
}

/** The assign-role form (a person and a role). */
export async function openAssignRoleForm(
  deps: Pick<FlowDependencies, 'gateway'>,
  request: { triggerId: string; incident: Incident },
): Promise<void> {
  await deps.gateway.openView(request.triggerId, assignRoleModal(request.incident));
}

/** Names of the new holder and the current commander, so the timeline says who, not which id. */
export async function timelineNames(
  deps: Pick<FlowDependencies, 'incidents' | 'users'>,
  incidentId: number,
  userId: string,
): Promise<Map<string, string>> {
  const commanderId = (await deps.incidents.get(incidentId))?.commanderId;
  const profiles = await deps.users.profiles(commanderId ? [userId, commanderId] : [userId]);
  return new Map([...profiles].flatMap(([id, profile]) => (profile ? [[id, profile.realName] as const] : [])));
}

/**
 * Gives a person a role (from the assign-role form): records it (the commander hand-over in one
 * transaction), invites them if they are not in the channel, says so in the channel, tells them
 * what the role does, and refreshes the topic and pinned summary when the commander changed.
 */
export async function assignRole(
  deps: IncidentChannelDependencies & Pick<FlowDependencies, 'participants'>,
  request: { incidentId: number; userId: string; role: Role; actorId: string; reply: Reply },
): Promise<void> {
  const { userId, role, actorId, reply } = request;
  const names = await timelineNames(deps, request.incidentId, userId);
  const outcome = await deps.participants.assignRole({ incidentId: request.incidentId, userId, role, actorId, names });
  const { incident } = outcome;
  if (!outcome.changed) {
    await reply(roleAlreadyHeldMessage(incident, userId, role));
    return;
  }
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  if (channelId) {
    const participant = await deps.participants.find(incident.id, userId);
    if (!participant || participant.leftAt) {
      await attemptStep(deps.logger, failures, 'Inviting them to the channel', async () => {
        const invite = await deps.gateway.invite(channelId, [userId]);
        if (invite.failed.length > 0) throw invite.failed[0].error;
      });
    }
    const holders = await deps.participants.roleHolders(incident.id);
    await postStep(deps, failures, 'Posting the change in the channel', channelId, roleAssignedLine(incident, outcome, actorId, holders));
  }
  await attemptStep(deps.logger, failures, 'Telling them what the role involves', () =>
    deps.gateway.sendDirectMessage(userId, roleDutiesMessage(incident, role, actorId, deps.links)),
  );
  if (role === 'commander') failures.push(...(await refreshIncidentChannel(deps, incident, { topic: true })));
  await deferFailedSteps(deps.deferred, incident, failures);
  await reportOutcome(reply, `The ${ROLE_LABELS[role]} role was assigned`, failures);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { listParticipants, answerParticipantList, participantListNow, openAssignRoleForm, assignRole };
