import type { Button, KnownBlock } from '@slack/types';
import { STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident, StatusReport } from '../../incidents/model';
import type { WorkspaceLinks } from '../links';
import { ACTIONS } from './ids';
import { leadLine, STATUS_EMOJI } from './incident';
import type { SlackMessage } from './message';
import { context, escapeText, link, mention, plain, section, slackDate, truncate } from './text';

const channelLink = (incident: Incident, links: WorkspaceLinks) =>
  incident.channelId ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`) : escapeText(incident.name);

function unfollowButton(incident: Incident): Button {
  return { type: 'button', text: plain('Unfollow'), action_id: ACTIONS.unfollow, value: String(incident.id) };
}

const heading = (incident: Incident) => `*${escapeText(incident.name)}: ${escapeText(truncate(incident.title, 150))}*`;

function footer(incident: Incident, links: WorkspaceLinks, closing: boolean): KnownBlock[] {
  if (closing) return [context(`You were following ${escapeText(incident.name)}; it is closed, so these updates stop here.`)];
  return [
    context(`You follow ${escapeText(incident.name)} without being in ${channelLink(incident, links)}. Updates stop when it closes.`),
    { type: 'actions', block_id: 'follow_actions', elements: [unfollowButton(incident)] },
  ];
}

/** A follower's DM when the status changes; the close carries its resolution. */
export function followerStatusUpdate(incident: Incident, actorId: string, links: WorkspaceLinks): SlackMessage {
  const closing = incident.status === 'closed';
  const blocks: KnownBlock[] = [
    section(`${STATUS_EMOJI[incident.status]} ${heading(incident)} is now *${STATUS_LABELS[incident.status]}* (by ${mention(actorId)}).`),
    section(leadLine(incident)),
  ];
  if (closing && incident.resolution) blocks.push(section(`*Resolution:* ${escapeText(truncate(incident.resolution, 2500))}`));
  blocks.push(...footer(incident, links, closing));
  return { text: `${incident.name} is now ${STATUS_LABELS[incident.status]}`, blocks };
}

/** A follower's DM when a status report is posted. */
export function followerReportUpdate(incident: Incident, report: StatusReport, links: WorkspaceLinks): SlackMessage {
  const part = (label: string, text: string) => `*${label}:* ${escapeText(truncate(text, 800))}`;
  return {
    text: `Status report for ${incident.name}`,
    blocks: [
      section(`:memo: New status report on ${heading(incident)} by ${mention(report.authorId)}, ${slackDate(report.createdAt, '{time}')}`),
      section([part('Conditions', report.conditions), part('Actions', report.actions), part('Needs', report.needs)].join('\n')),
      ...footer(incident, links, false),
    ],
  };
}

/** Privately, to whoever pressed Follow or ran `/dispatch follow`. */
export function followConfirmation(incident: Incident, changed: boolean): SlackMessage {
  const text = changed
    ? `You're following ${escapeText(incident.name)}. You'll get a direct message when its status changes or a status report is posted, until it closes.`
    : `You already follow ${escapeText(incident.name)}; nothing changed.`;
  return { text, blocks: [section(`:eyes: ${text}`)] };
}

export function unfollowConfirmation(incident: Incident, changed: boolean): SlackMessage {
  const text = changed
    ? `You no longer follow ${escapeText(incident.name)}; no more direct messages about it.`
    : `You weren't following ${escapeText(incident.name)}; nothing changed.`;
  return { text, blocks: [section(text)] };
}
