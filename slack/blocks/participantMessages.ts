import type { KnownBlock } from '@slack/types';
import type { Incident, Participant, Role } from '../../incidents/model';
import { ROLE_LABELS, ROLES } from '../../incidents/model';
import { ROLE_RESPONSIBILITIES, type RoleHolders } from '../../incidents/participants';
import type { WorkspaceLinks } from '../links';
import type { SlackUserProfile } from '../userProfile';
import type { SlackMessage } from './message';
import { context, escapeText, LIMITS, link, mention, plain, section, slackDate, truncate } from './text';

/** At most this many participants are listed by name; the rest are counted. */
export const PARTICIPANT_LIST_MAX = 100;

/** Mentions of one role's holders; long lists (participants, observers) end with a count. */
function holderMentions(userIds: string[], max = 10): string {
  const shown = userIds.slice(0, max).map(mention).join(', ');
  return userIds.length > max ? `${shown} and ${userIds.length - max} more` : shown;
}

/** "Incident Commander: @a" one line per role that someone holds, in ROLES order. */
export function rolesOverview(holders: RoleHolders): string {
  const lines = ROLES.filter((role) => holders[role].length > 0).map(
    (role) => `• *${ROLE_LABELS[role]}*: ${holderMentions(holders[role])}`,
  );
  if (holders.commander.length === 0) lines.unshift(`• *${ROLE_LABELS.commander}*: _nobody; assign one_`);
  return lines.join('\n');
}

const channelLink = (incident: Incident, links: WorkspaceLinks) =>
  incident.channelId ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`) : escapeText(incident.name);

function participantLine(participant: Participant, profile: SlackUserProfile | null | undefined): string {
  const who = profile
    ? `*${escapeText(truncate(profile.realName, 80))}*${profile.title ? ` (${escapeText(truncate(profile.title, 100))})` : ''}`
    : mention(participant.userId);
  const roles = participant.roles.map((role) => ROLE_LABELS[role]).join(', ') || ROLE_LABELS.participant;
  const presence = participant.leftAt ? `:outbox_tray: left ${slackDate(participant.leftAt, '{ago}')}` : 'in the channel';
  const activity = participant.lastActivityAt
    ? `last active ${slackDate(participant.lastActivityAt, '{ago}')} (${participant.messageCount} message${participant.messageCount === 1 ? '' : 's'})`
    : 'no messages yet';
  return `• ${who}: ${roles} · joined ${slackDate(participant.joinedAt)} · ${presence} · ${activity}`;
}

/** Puts lines into as few sections as fit Slack's 3000 characters each, in at most `maxBlocks`. */
function packLines(lines: string[], maxBlocks: number): { blocks: KnownBlock[]; packed: number } {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  let packed = 0;
  for (const line of lines) {
    if (current.length > 0 && length + 1 + line.length > LIMITS.sectionText) {
      if (groups.length + 1 >= maxBlocks) break; // `current` takes the last block there is
      groups.push(current);
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
    packed += 1;
  }
  if (current.length > 0) groups.push(current);
  return { blocks: groups.map((group) => section(group.join('\n'))), packed };
}

/**
 * The answer to the list-participants command: the commander first, name and title, roles,
 * when they joined, whether they are still in the channel, and their last activity. However
 * many there are it stays within Slack's limits: what does not fit is counted, not dropped silently.
 */
export function participantList(
  incident: Incident,
  participants: Participant[],
  profiles: ReadonlyMap<string, SlackUserProfile | null>,
): SlackMessage {
  const inChannel = participants.filter((participant) => participant.leftAt === null).length;
  const commander = incident.commanderId ? mention(incident.commanderId) : '_nobody_';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Participants in ${incident.name}`, 150) },
    context(
      `${ROLE_LABELS.commander}: ${commander}`,
      `${participants.length} participant${participants.length === 1 ? '' : 's'}: ${inChannel} in the channel, ${participants.length - inChannel} left`,
    ),
  ];
  if (participants.length === 0) {
    blocks.push(section('_Nobody has joined the channel yet._'));
    return { text: `Participants in ${incident.name}: none yet`, blocks };
  }
  const candidates = participants.slice(0, PARTICIPANT_LIST_MAX);
  const lines = candidates.map((participant) => participantLine(participant, profiles.get(participant.userId)));
  // One block stays free for the count of those not shown.
  const { blocks: sections, packed } = packLines(lines, LIMITS.messageBlocks - blocks.length - 1);
  blocks.push(...sections);
  const hidden = participants.slice(packed);
  if (hidden.length > 0) {
    const hiddenInChannel = hidden.filter((participant) => participant.leftAt === null).length;
    blocks.push(
      context(
        `${hidden.length} more participant${hidden.length === 1 ? ' is' : 's are'} not shown (${hiddenInChannel} in the channel, ${hidden.length - hiddenInChannel} left): one message can only hold so much. The commander and role holders are listed first.`,
      ),
    );
  }
  return { text: `Participants in ${incident.name}: ${participants.length} (${inChannel} in the channel)`, blocks };
}

export interface RoleChange {
  userId: string;
  role: Role;
  previousCommanderId: string | null;
}

/** Posted in the channel after an assignment: who gave whom which role, and who holds what now. */
export function roleAssignedLine(incident: Incident, change: RoleChange, actorId: string, holders: RoleHolders): SlackMessage {
  const label = ROLE_LABELS[change.role];
  const headline =
    change.role === 'commander'
      ? `:crown: ${mention(actorId)} made ${mention(change.userId)} the *${label}* of ${escapeText(incident.name)}.${
          change.previousCommanderId ? ` ${mention(change.previousCommanderId)} is now a ${ROLE_LABELS.participant}.` : ''
        }`
      : `:busts_in_silhouette: ${mention(actorId)} gave ${mention(change.userId)} the *${label}* role in ${escapeText(incident.name)}.`;
  return {
    text: `${incident.name}: ${label} assigned`,
    blocks: [section(headline), section(`*Who does what now*\n${rolesOverview(holders)}`)],
  };
}

/** Privately, when the role was already theirs. */
export function roleAlreadyHeldMessage(incident: Incident, userId: string, role: Role): SlackMessage {
  const text = `${mention(userId)} is already the ${ROLE_LABELS[role]} in ${escapeText(incident.name)}; nothing changed.`;
  return { text, blocks: [section(text)] };
}

/** The DM to whoever got a role: what it is responsible for. */
export function roleDutiesMessage(incident: Incident, role: Role, actorId: string, links: WorkspaceLinks): SlackMessage {
  const label = ROLE_LABELS[role];
  return {
    text: `You are now the ${label} of ${incident.name}`,
    blocks: [
      section(
        `${mention(actorId)} made you the *${label}* of *${escapeText(incident.name)}: ${escapeText(incident.title)}* in ${channelLink(incident, links)}.`,
      ),
      section(`*What the ${label} does*\n${ROLE_RESPONSIBILITIES[role]}`),
    ],
  };
}

/** Privately to a commander who left: they were added back and should hand over first. */
export function commanderMustHandOverMessage(incident: Incident, assignRoleSlug: string): SlackMessage {
  const text = `You were added back to ${escapeText(incident.name)} because you are its ${ROLE_LABELS.commander}. Please hand the role over with \`${assignRoleSlug}\` before you leave.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** In the channel, when the commander left and could not be added back. */
export function commanderGoneLine(incident: Incident, userId: string, problem: string, assignRoleSlug: string): SlackMessage {
  const text = `${mention(userId)}, the ${ROLE_LABELS.commander} of ${escapeText(incident.name)}, left the channel and could not be added back (${escapeText(problem)}). Give the role to someone here with \`${assignRoleSlug}\`.`;
  return { text: `${incident.name}: the ${ROLE_LABELS.commander} left`, blocks: [section(`:warning: ${text}`)] };
}
