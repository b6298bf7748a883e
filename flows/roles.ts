import type { Incident, Participant, Role } from '../incidents/model';
import { ROLE_LABELS } from '../incidents/model';
import { ephemeral } from '../slack/blocks/message';
import {
  PARTICIPANT_LIST_MAX,
  participantList,
  roleAlreadyHeldMessage,
  roleAssignedLine,
  roleDutiesMessage,
} from '../slack/blocks/participantMessages';
import { assignRoleModal } from '../slack/blocks/participantModals';
import { prepareJson } from '../slack/preparedJson';
import type { SlackUserProfile } from '../slack/userProfile';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { ParticipantListAnswer } from './participantListCache';
import type { Reply } from './reply';
import { attemptStep, postStep, reportOutcome, type StepFailure } from './steps';

type ListDependencies = Pick<FlowDependencies, 'participants' | 'users' | 'participantLists'>;

/** The list rendered before for this incident, while it still shows what it would show now. */
function renderedBefore(deps: ListDependencies, incident: Incident): ParticipantListAnswer | undefined {
  const rendered = deps.participantLists.find(incident);
  return rendered && deps.users.holdsSameProfiles(rendered.shownUserIds, rendered.profiles, rendered.confirmed)
    ? rendered.answer
    : undefined;
}

/** Renders the list (serialized once) and keeps it for the requests after this one. */
function render(
  deps: ListDependencies,
  incident: Incident,
  participants: Participant[],
  shownUserIds: string[],
  profiles: ReadonlyMap<string, SlackUserProfile | null>,
): ParticipantListAnswer {
  const answer = prepareJson(ephemeral(participantList(incident, participants, profiles)));
  deps.participantLists.remember(incident, {
    shownUserIds,
    profiles: shownUserIds.map((userId) => profiles.get(userId) ?? null),
    confirmed: { generation: -1, until: 0 },
    answer,
  });
  return answer;
}

const shownIn = (participants: Participant[]) => participants.slice(0, PARTICIPANT_LIST_MAX).map((participant) => participant.userId);

/** Waits for the profiles the list shows (from Slack when not known), then renders it, or finds it rendered. */
async function renderWithProfiles(
  deps: ListDependencies,
  incident: Incident,
  participants: Participant[],
  shownUserIds: string[],
): Promise<ParticipantListAnswer> {
  const profiles = await deps.users.profiles(shownUserIds);
  return renderedBefore(deps, incident) ?? render(deps, incident, participants, shownUserIds, profiles);
}

/**
 * The participant list when it can be answered at once, in the ack: the participants from the
 * store (one indexed read) and every profile it shows already in the directory's cache. Null
 * when a profile would need Slack; then `listParticipants` answers after the ack. The answer
 * rendered last for the incident is sent again, without reading the participants, while the
 * incident (just looked up) says its roster has not changed since and the directory still holds
 * the same profiles.
 */
export async function participantListNow(deps: ListDependencies, request: { incident: Incident }): Promise<ParticipantListAnswer | null> {
  const { incident } = request;
  const before = renderedBefore(deps, incident);
  if (before) return before;
  // Another request of this burst is waiting for the profiles: this one waits for it after its ack.
  if (deps.participantLists.inProgress(incident)) return null;
  const participants = await deps.participants.list(incident.id);
  const shownUserIds = shownIn(participants);
  const profiles = deps.users.knownProfiles(shownUserIds);
  if (profiles) return render(deps, incident, participants, shownUserIds, profiles);
  // Started now, not once this request's turn after the ack comes, and shared: the requests
  // behind this one wait for the same profiles and the same rendering.
  deps.participantLists.rendering(incident, renderWithProfiles(deps, incident, participants, shownUserIds));
  return null;
}

/**
 * Lists the participants; profiles come from the cached directory, only for those the answer
 * can show. A rendering already under way for the same roster (another request's) is waited for
 * instead of reading and rendering the list again.
 */
export async function listParticipants(deps: ListDependencies, request: { incident: Incident; reply: Reply }): Promise<void> {
  const { incident } = request;
  const underWay = deps.participantLists.inProgress(incident);
  // Its failure is that request's to report; this one renders for itself then.
  const shared = underWay ? await underWay.catch(() => undefined) : undefined;
  if (shared) {
    await request.reply(shared);
    return;
  }
  const participants = await deps.participants.list(incident.id);
  await request.reply(await renderWithProfiles(deps, incident, participants, shownIn(participants)));
}

/**
 * After an empty ack, the list on the response_url. How many of these run at once is the bound
 * on all work after an ack (server/receiver/afterAck.ts): past it the request itself is stored
 * and run again by the background work, which answers on the same response_url.
 */
export async function answerParticipantList(
  deps: ListDependencies & Pick<FlowDependencies, 'gateway'>,
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
