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

/** Extra content other features give the summary (the status report button, when the last report was). */
export interface SummaryExtras {
  lastReportAt?: Date | null;
  buttons?: Button[];
  /** The type nobody has to pick (INCIDENT_TYPES' first): not worth a line when it is the incident's. */
  defaultType?: string;
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

/** "Catch me up" on the summary: a private catch-up for whoever presses it. */
export function catchUpButton(incident: Incident): Button {
  return button('Catch me up', ACTIONS.catchUp, incident);
}

/** How long, in words that stay true while the message is not edited: Slack renders {ago} live. */
function howLong(incident: Incident): string {
  if (incident.status === 'closed' && incident.closedAt) {
    return `closed after ${formatDuration(incident.closedAt.getTime() - incident.reportedAt.getTime())}`;
  }
  if (incident.status === 'stable' && incident.stableAt) return `stable since ${slackDate(incident.stableAt, '{ago}')}`;
  return `reported ${slackDate(incident.reportedAt, '{ago}')}`;
}

/** One line that says it all: status · priority · commander · how long. */
export function leadLine(incident: Incident): string {
  const commander = incident.commanderId ? `Commander ${mention(incident.commanderId)}` : '*No commander*';
  return `${STATUS_EMOJI[incident.status]} *${STATUS_LABELS[incident.status]}* · *${escapeText(incident.priority)}* priority · ${commander} · ${howLong(incident)}`;
}

/**
 * The pinned summary in the incident channel, edited in place: the lead line, what is going on,
 * the resolution once there is one, what is not a default in one context line, and the main actions.
 */
export function incidentSummary(incident: Incident, _links: WorkspaceLinks, extras: SummaryExtras = {}): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${incident.name}: ${incident.title}`, 150) },
    section(`${leadLine(incident)}\n${escapeText(truncate(incident.description, 1500))}`),
  ];
  if (incident.resolution) blocks.push(section(`*Resolution:* ${escapeText(truncate(incident.resolution, 2500))}`));
  const details: string[] = [];
  if (incident.reporterId !== incident.commanderId) details.push(`Reported by ${mention(incident.reporterId)}`);
  if (extras.defaultType === undefined || incident.type !== extras.defaultType) details.push(`Type ${escapeText(incident.type)}`);
  if (incident.visibility === 'restricted') details.push(':lock: Restricted');
  if (extras.lastReportAt) details.push(`Last status report ${slackDate(extras.lastReportAt, '{ago}')}`);
  if (incident.stableAt && incident.status === 'closed') {
    details.push(`Stable after ${formatDuration(incident.stableAt.getTime() - incident.reportedAt.getTime())}`);
  }
  if (details.length > 0) blocks.push(context(details.join('  ·  ')));
  const buttons = [...statusButtons(incident), ...(extras.buttons ?? []), catchUpButton(incident)];
  blocks.push({ type: 'actions', block_id: 'incident_actions', elements: buttons.slice(0, 25) } satisfies ActionsBlock);
  return { text: fallbackText(incident), blocks };
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
    const elements: Button[] = [button('Join incident', ACTIONS.join, incident, 'primary'), button('Follow', ACTIONS.follow, incident)];
    blocks.push({ type: 'actions', block_id: 'announcement_actions', elements });
  }
  if (incident.channelId)
    blocks.push(context(`Channel: ${link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)}`));
  return { text: fallbackText(incident), blocks };
}

/** What a close adds to the one post about it: how long it took and how it ended. */
function closingDetails(incident: Incident): KnownBlock[] {
  const closedAt = incident.closedAt ?? incident.updatedAt;
  const times = [`*Duration* ${formatDuration(closedAt.getTime() - incident.reportedAt.getTime())}`];
  times.push(
    incident.stableAt
      ? `*Time to stable* ${formatDuration(incident.stableAt.getTime() - incident.reportedAt.getTime())}`
      : '*Time to stable* _never marked stable_',
  );
  return [section(`*Resolution:* ${escapeText(truncate(incident.resolution ?? '', 2500))}`), context(times.join('  ·  '))];
}

function statusFallback(incident: Incident): string {
  if (incident.status === 'closed') return `${incident.name} is closed: ${truncate(incident.resolution ?? '', 150)}`;
  return `${incident.name} is now ${STATUS_LABELS[incident.status]}`;
}

/**
 * The one post about a status change: who changed it to what, when; a close carries its
 * duration, time to stable and resolution in the same message (the summary is edited in place).
 */
export function statusChangeLine(incident: Incident, actorId: string, at: Date): SlackMessage {
  const text = `${mention(actorId)} marked ${escapeText(incident.name)} *${STATUS_LABELS[incident.status]}* ${STATUS_EMOJI[incident.status]} at ${slackDate(at, '{time}')}`;
  const blocks: KnownBlock[] = [section(text)];
  if (incident.status === 'closed') blocks.push(...closingDetails(incident));
  return { text: escapeText(statusFallback(incident)), blocks };
}

/** What an edit changed, old -> new, and who changed it; an edit that closes carries the close's details. */
export function editLine(incident: Incident, changes: FieldChange[], actorId: string): SlackMessage {
  const lines = changes.map((change) => {
    const from = change.from ? escapeText(truncate(change.from, 300)) : '_empty_';
    const to = change.to ? escapeText(truncate(change.to, 300)) : '_empty_';
    return `• *${change.label}*: ${from} → ${to}`;
  });
  const closed = incident.status === 'closed' && changes.some((change) => change.field === 'status');
  const blocks: KnownBlock[] = [section(`:pencil2: ${mention(actorId)} edited ${escapeText(incident.name)}:\n${lines.join('\n')}`)];
  if (closed) blocks.push(...closingDetails(incident));
  return { text: closed ? escapeText(statusFallback(incident)) : `${incident.name} was edited`, blocks };
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
