import type { Incident, Role } from '../../incidents/model';
import { ROLE_LABELS } from '../../incidents/model';
import type { Dependencies } from '../../server/dependencies';
import {
  commanderGoneLine,
  commanderMustHandOverMessage,
  PARTICIPANT_LIST_MAX,
  participantList,
  roleAlreadyHeldMessage,
  roleAssignedLine,
  roleDutiesMessage,
} from '../../slack/blocks/participants';
import { attemptStep, type StepFailure } from '../../slack/steps';
import { type Reply, replyAfterSubmission } from '../common/reply';
import { reportOutcome } from './incidentStatus';

/** Lists the participants; profiles come from the cached directory, only for those the answer can show. */
export async function listParticipants(deps: Dependencies, incident: Incident, reply: Reply): Promise<void> {
  const participants = await deps.participants.list(incident.id);
  const profiles = await deps.users.profiles(participants.slice(0, PARTICIPANT_LIST_MAX).map((participant) => participant.userId));
  await reply(participantList(incident, participants, profiles));
}

/** Names of the new holder and the current commander, so the timeline says who, not which id. */
export async function timelineNames(deps: Dependencies, incidentId: number, userId: string): Promise<Map<string, string>> {
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
  deps: Dependencies,
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
    await attemptStep(deps.logger, failures, 'Posting the change in the channel', () =>
      deps.gateway.postMessage(channelId, roleAssignedLine(incident, outcome, actorId, holders)),
    );
  }
  await attemptStep(deps.logger, failures, 'Telling them what the role involves', () =>
    deps.gateway.sendDirectMessage(userId, roleDutiesMessage(incident, role, actorId, deps.links)),
  );
  if (role === 'commander') failures.push(...(await deps.presence.refresh(incident, { topic: true })));
  await reportOutcome(reply, `The ${ROLE_LABELS[role]} role was assigned`, failures);
}

/**
 * The commander left the channel of an incident that is not closed: they are invited back and
 * asked to hand the role over first. When they cannot be added back, they are recorded as gone
 * and the channel is told the role needs someone.
 */
export async function bringBackCommander(deps: Dependencies, incident: Incident, userId: string): Promise<void> {
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
