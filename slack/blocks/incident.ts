import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { type FieldChange, STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident, IncidentStatus } from '../../incidents/model';
import type { WorkspaceLinks } from '../links';
import { ACTIONS } from './ids';
import type { SlackMessage, StepFailure } from './message';
import { context, escapeText, fields, formatDuration, link, mention, plain, section, slackDate, truncate } from './text';

export const STATUS_EMOJI: Record<IncidentStatus, string> = {
  active: ':red_circle:',
  stable: ':large_yellow_circle:',
  closed: ':white_check_mark:',
};

export function statusText(status: IncidentStatus): string {
  return `${STATUS_EMOJI[status]} ${STATUS_LABELS[status]}`;
}

const nobody = '_nobody_';
const person = (userId: string | null) => (userId ? mention(userId) : nobody);

function button(text: string, actionId: string, incident: Incident, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plain(text), action_id: actionId, value: String(incident.id), ...(style ? { style } : {}) };
}

/** The notification text of a message about the incident; Slack parses it too, so it is escaped. */
function fallbackText(incident: Incident): string {
  return `${incident.name}: ${escapeText(truncate(incident.title, 150))} (${STATUS_LABELS[incident.status]}, ${escapeText(incident.priority)})`;
}

/** Extra buttons other features put on the summary (status report, timeline...). */
export interface SummaryExtras {
  lastReportAt?: Date | null;
  buttons?: Button[];
}

function statusButtons(incident: Incident): Button[] {
  switch (incident.status) {
    case 'active':
      return [button('Mark stable', ACTIONS.markStable, incident, 'primary'), button('Close', ACTIONS.markClosed, incident)];
    case 'stable':
      return [button('Close', ACTIONS.markClosed, incident, 'primary'), button('Mark active', ACTIONS.markActive, incident)];
    case 'closed':
      return [button('Reopen', ACTIONS.markActive, incident)];
  }
}

/** The pinned summary in the incident channel: what, how bad, who, since when, and the common actions. */
export function incidentSummary(incident: Incident, links: WorkspaceLinks, extras: SummaryExtras = {}): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${incident.name}: ${incident.title}`, 150) },
    section(escapeText(incident.description)),
    fields([
      ['Status', statusText(incident.status)],
      ['Priority', escapeText(incident.priority)],
      ['Type', escapeText(incident.type)],
      ['Visibility', incident.visibility === 'restricted' ? ':lock: Restricted' : 'Open'],
      ['Commander', person(incident.commanderId)],
      ['Reporter', person(incident.reporterId)],
      ['Reported', slackDate(incident.reportedAt)],
      ['Last status report', extras.lastReportAt ? slackDate(extras.lastReportAt, '{ago}') : '_none yet_'],
    ]),
  ];
  if (incident.resolution) blocks.push(section(`*Resolution*\n${escapeText(incident.resolution)}`));
  const times = [];
  if (incident.stableAt) times.push(`Stable ${slackDate(incident.stableAt)}`);
  if (incident.closedAt) times.push(`Closed ${slackDate(incident.closedAt)}`);
  if (incident.channelId) times.push(link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`));
  if (times.length > 0) blocks.push(context(times.join('  ·  ')));
  const buttons = [...statusButtons(incident), button('Edit', ACTIONS.edit, incident), ...(extras.buttons ?? [])].slice(0, 25);
  blocks.push({ type: 'actions', block_id: 'incident_actions', elements: buttons } satisfies ActionsBlock);
  return {
    text: fallbackText(incident),
    blocks,
  };
}

/** The channel topic: status, priority, commander (plain text, at most 250 characters). */
export function incidentTopic(incident: Incident, commanderName: string | null): string {
  const parts = [
    `Status: ${STATUS_LABELS[incident.status]}`,
    `Priority: ${incident.priority}`,
    `Commander: ${commanderName ?? 'unassigned'}`,
  ];
  return truncate(parts.join(' | '), 250);
}

export function incidentPurpose(incident: Incident): string {
  return truncate(`${incident.name}: ${incident.title}`, 250);
}

/** Extra content other features put on the announcement (the latest status report). */
export interface AnnouncementExtras {
  latestReport?: { conditions: string; authorId: string; createdAt: Date } | null;
}

/** The announcement in the notification channels, edited in place as the incident changes. */
export function incidentAnnouncement(incident: Incident, links: WorkspaceLinks, extras: AnnouncementExtras = {}): SlackMessage {
  const heading = incident.status === 'closed' ? ':white_check_mark: Incident closed' : ':rotating_light: Incident';
  const blocks: KnownBlock[] = [
    section(
      `${heading}: *${escapeText(incident.name)}*\n*${escapeText(incident.title)}*\n${escapeText(truncate(incident.description, 500))}`,
    ),
    fields([
      ['Status', statusText(incident.status)],
      ['Priority', escapeText(incident.priority)],
      ['Type', escapeText(incident.type)],
      ['Commander', person(incident.commanderId)],
      ['Reported', slackDate(incident.reportedAt)],
      ['Reporter', person(incident.reporterId)],
    ]),
  ];
  if (extras.latestReport) {
    blocks.push(
      section(
        `*Latest status* (${slackDate(extras.latestReport.createdAt, '{ago}')}, ${mention(extras.latestReport.authorId)})\n${escapeText(truncate(extras.latestReport.conditions, 1500))}`,
      ),
    );
  }
  if (incident.status === 'closed') {
    if (incident.resolution) blocks.push(context(`*Resolution:* ${escapeText(truncate(incident.resolution, 1000))}`));
  } else {
    const elements: Button[] = [button('Join incident', ACTIONS.join, incident, 'primary')];
    blocks.push({ type: 'actions', block_id: 'announcement_actions', elements });
  }
  if (incident.channelId)
    blocks.push(context(`Channel: ${link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)}`));
  return { text: fallbackText(incident), blocks };
}

/** One line in the channel: who changed the status to what, when. */
export function statusChangeLine(incident: Incident, actorId: string, at: Date): SlackMessage {
  const text = `${mention(actorId)} marked ${escapeText(incident.name)} *${STATUS_LABELS[incident.status]}* ${STATUS_EMOJI[incident.status]} at ${slackDate(at, '{time}')}`;
  return { text: `${incident.name} is now ${STATUS_LABELS[incident.status]}`, blocks: [section(text)] };
}

/** Posted on close: how long it took and how it ended (`now` stands in for a close time not recorded). */
export function closingSummary(incident: Incident, now: Date): SlackMessage {
  const closedAt = incident.closedAt ?? now;
  const pairs: Array<[string, string]> = [
    ['Duration', formatDuration(closedAt.getTime() - incident.reportedAt.getTime())],
    ['Time to stable', incident.stableAt ? formatDuration(incident.stableAt.getTime() - incident.reportedAt.getTime()) : '_never stable_'],
    ['Commander', person(incident.commanderId)],
    ['Priority', escapeText(incident.priority)],
  ];
  return {
    text: `${incident.name} is closed`,
    blocks: [
      section(`:white_check_mark: *${escapeText(incident.name)} is closed.*`),
      fields(pairs),
      section(`*Resolution*\n${escapeText(incident.resolution ?? '')}`),
    ],
  };
}

/** What an edit changed, old -> new, and who changed it. */
export function editLine(incident: Incident, changes: FieldChange[], actorId: string): SlackMessage {
  const lines = changes.map((change) => {
    const from = change.from ? escapeText(truncate(change.from, 300)) : '_empty_';
    const to = change.to ? escapeText(truncate(change.to, 300)) : '_empty_';
    return `• *${change.label}*: ${from} → ${to}`;
  });
  return {
    text: `${incident.name} was edited`,
    blocks: [section(`:pencil2: ${mention(actorId)} edited ${escapeText(incident.name)}:\n${lines.join('\n')}`)],
  };
}

/** The reporter's DM once the incident is set up. */
export function reporterNotice(incident: Incident, links: WorkspaceLinks): SlackMessage {
  const channel = incident.channelId ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`) : 'its channel';
  return {
    text: `${incident.name} is set up`,
    blocks: [
      section(`:white_check_mark: You reported *${escapeText(incident.name)}: ${escapeText(incident.title)}*. Work it in ${channel}.`),
      context(`Commander: ${person(incident.commanderId)}  ·  Priority: ${escapeText(incident.priority)}`),
    ],
  };
}

/** Setting up the incident in Slack failed partway: what failed, and a retry. */
export function setupFailureMessage(incident: Incident, failures: StepFailure[]): SlackMessage {
  const lines = failures.map((failure) => `• ${escapeText(failure.step)}: ${escapeText(failure.problem)}`);
  const text = `${incident.name} is recorded, but part of its Slack setup failed.`;
  return {
    text,
    blocks: [
      section(
        `:warning: *${escapeText(incident.name)}: ${escapeText(incident.title)}* is recorded, but part of its Slack setup failed:\n${lines.join('\n')}`,
      ),
      context(
        failures.some((failure) => failure.transient)
          ? 'Nothing was lost. Slack is not answering right now; Dispatch keeps retrying the setup in the background.'
          : 'Nothing was lost. Fix the cause if it is on your side, then retry the setup.',
      ),
      { type: 'actions', elements: [button('Retry setup', ACTIONS.retrySetup, incident, 'primary')] },
    ],
  };
}

/** Open and stable incidents for the Home tab. */
export function incidentList(incidents: Incident[], links: WorkspaceLinks): KnownBlock[] {
  if (incidents.length === 0) return [section('_No open incidents._ :tada:')];
  const blocks: KnownBlock[] = [];
  for (const incident of incidents.slice(0, 30)) {
    const channel = incident.channelId ? ` · ${link(links.channel(incident.channelId), 'channel')}` : '';
    blocks.push(
      section(
        `${STATUS_EMOJI[incident.status]} *${escapeText(incident.name)}*: ${escapeText(truncate(incident.title, 200))}\n${escapeText(incident.priority)} · commander ${person(incident.commanderId)} · reported ${slackDate(incident.reportedAt, '{ago}')}${channel}`,
      ),
    );
  }
  return blocks;
}
