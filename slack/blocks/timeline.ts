import type { Button, KnownBlock, ModalView } from '@slack/types';
import type { Incident, TimelineEvent } from '../../incidents/model';
import { ACTIONS, VIEWS } from './ids';
import type { IncidentMetadata } from './incidentModals';
import { modal } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, LIMITS, link, mention, plain, section, slackDate } from './text';

const KIND_LABELS: Record<string, string> = {
  reported: 'Reported',
  status: 'Status',
  edited: 'Edit',
  role: 'Role',
  report: 'Status report',
  task: 'Task',
  resource: 'Resource',
  message: 'Message',
};

/** Escaped user text within `max` characters, never cutting an entity such as &amp; in half. */
function escapedWithin(text: string, max: number): string {
  const escaped = escapeText(text);
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);

/** "Timeline" on the pinned summary: shows the timeline in a modal. */
export function timelineButton(incident: Incident): Button {
  return { type: 'button', text: plain('Timeline'), action_id: ACTIONS.showTimeline, value: String(incident.id) };
}

/** Intro, the "Post to channel" button, the "posted" note and the "older events" note. */
const MODAL_FRAME_BLOCKS = 4;

function eventBlock(event: TimelineEvent): KnownBlock {
  const who = event.actorId ? ` · ${mention(event.actorId)}` : '';
  const permalink = event.permalink ? ` · ${link(event.permalink, 'message')}` : '';
  return section(`*${slackDate(event.occurredAt)}* · ${kindLabel(event.kind)}${who}${permalink}\n${escapedWithin(event.text, 2500)}`);
}

/**
 * The timeline in a modal, most recent first. A modal holds 100 blocks, so the oldest events
 * beyond that are counted, not shown; posting to the channel gives them all.
 */
export function timelineModal(incident: Incident, events: TimelineEvent[], options: { postedBy?: string } = {}): ModalView {
  const newestFirst = [...events].reverse();
  const room = LIMITS.modalBlocks - MODAL_FRAME_BLOCKS;
  const shown = newestFirst.slice(0, room);
  const blocks: KnownBlock[] = [
    context(
      `*${escapeText(incident.name)}*: ${escapeText(incident.title)} · ${events.length} event${events.length === 1 ? '' : 's'}, most recent first`,
    ),
    {
      type: 'actions',
      block_id: 'timeline_actions',
      elements: [
        { type: 'button', text: plain('Post to channel'), action_id: ACTIONS.postTimeline, value: String(incident.id), style: 'primary' },
      ],
    },
  ];
  if (options.postedBy) blocks.push(context(`:white_check_mark: ${mention(options.postedBy)} posted the timeline to the channel.`));
  if (events.length === 0) blocks.push(section('_Nothing on the timeline yet._ React to a message in the channel to add it.'));
  blocks.push(...shown.map(eventBlock));
  const hidden = events.length - shown.length;
  if (hidden > 0) {
    blocks.push(
      context(`${hidden} older event${hidden === 1 ? ' is' : 's are'} not shown. Post the timeline to the channel to see every event.`),
    );
  }
  return modal({
    callbackId: VIEWS.timeline,
    title: `Timeline ${incident.name}`,
    close: 'Close',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks,
  });
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Room for one message's text: a section holds 3000 characters. */
const EXPORT_CHUNK = LIMITS.sectionText - 100;

/**
 * The timeline as Markdown-like text, oldest first, for a postmortem: one line per event
 * (time in UTC, kind, who, what, link). Split over as many messages as Slack's limits need.
 * People are named, not mentioned, so posting it pings nobody.
 */
export function timelineExport(incident: Incident, events: TimelineEvent[], names: ReadonlyMap<string, string>): SlackMessage[] {
  const heading = `*Timeline of ${escapeText(incident.name)}: ${escapeText(incident.title)}*\n_${events.length} event${events.length === 1 ? '' : 's'}, oldest first, times in UTC. A starting point for the postmortem._`;
  const lines = events.map((event) => {
    const who = event.actorId ? ` — ${escapedWithin(names.get(event.actorId) ?? event.actorId, 100)}` : '';
    const permalink = event.permalink ? ` (${link(event.permalink, 'message')})` : '';
    const text = escapedWithin(event.text.replace(/\s*\n\s*/g, ' '), 2000);
    return `• ${utc(event.occurredAt)} — ${kindLabel(event.kind)}${who}: ${text}${permalink}`;
  });
  const chunks: string[] = [];
  let current = heading;
  for (const line of lines) {
    if (current.length + 1 + line.length > EXPORT_CHUNK) {
      chunks.push(current);
      current = line;
    } else {
      current = `${current}\n${line}`;
    }
  }
  chunks.push(current);
  return chunks.map((chunk, index) => ({
    text: chunks.length === 1 ? `Timeline of ${incident.name}` : `Timeline of ${incident.name} (part ${index + 1} of ${chunks.length})`,
    blocks: [section(chunk)],
  }));
}
