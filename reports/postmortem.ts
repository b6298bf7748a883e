import { ROLE_LABELS } from '../incidents/model';
import type { IncidentRecord } from '../incidents/record';

/** Everything the draft is written from. Pure data: the same record gives the same document. */
export interface PostmortemRecord extends IncidentRecord {
  /** Display names by user id; an unknown id shows as the id. */
  names: Readonly<Record<string, string>>;
  /** Link to the incident channel, when it has one. */
  channelUrl: string | null;
}

/**
 * Escapes user text for inline Markdown (CommonMark and Slack's Markdown preview): every
 * character that could start emphasis, a link or an image, code, HTML, a table cell or an
 * entity is made literal, and so is a heading, list or quote marker at the start; line breaks
 * become spaces, so nothing typed in Slack changes the document's structure.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\`*_[\]<>|~]/g, (character) => `\\${character}`)
    .replace(/&/g, '&amp;')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** User text that may span lines (a description, a status report): each line escaped, breaks kept. */
export function escapeMarkdownBlock(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeMarkdown(line))
    .join('  \n')
    .trim();
}

/** A link target we trust only when it is http(s); parentheses and spaces are percent-encoded. */
function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.toString().replace(/[()\s<>]/g, (character) => encodeURIComponent(character));
  } catch {
    return null;
  }
}

function link(label: string, url: string | null): string {
  const target = url ? safeUrl(url) : null;
  return target ? `[${label}](${target})` : label;
}

/** "2026-03-02 09:12 UTC" */
export function utcTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2d 3h 4m", "1h 5m", "45m", "0m": spans of an incident, to the minute. */
export function spanText(milliseconds: number): string {
  const minutes = Math.max(0, Math.round(milliseconds / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days > 0 ? `${days}d` : '', hours > 0 ? `${hours}h` : '', rest > 0 || (days === 0 && hours === 0) ? `${rest}m` : ''];
  return parts.filter(Boolean).join(' ');
}

const TO_WRITE = '_To be written by the team._';

/** The postmortem draft: the record in Markdown, with the sections only people can write left open. */
export function postmortemMarkdown(record: PostmortemRecord): string {
  const { incident } = record;
  const name = (userId: string | null): string => (userId ? escapeMarkdown(record.names[userId] ?? userId) : 'nobody');
  const lines: string[] = [];
  const section = (title: string) => lines.push('', `## ${title}`, '');

  lines.push(`# Postmortem: ${incident.name}: ${escapeMarkdown(incident.title)}`, '');
  lines.push(
    `_A draft written by Dispatch from the incident's record${record.channelUrl ? ` (${link(`#${incident.channelName ?? incident.name}`, record.channelUrl)})` : ''}. Edit it freely._`,
  );

  section('Summary');
  lines.push(escapeMarkdownBlock(incident.description));
  lines.push('', `**Resolution:** ${incident.resolution?.trim() ? escapeMarkdownBlock(incident.resolution) : '_not recorded yet_'}`);

  section('Impact');
  lines.push('| Field | Value |', '| --- | --- |');
  lines.push(`| Status | ${incident.status} |`);
  lines.push(`| Priority | ${escapeMarkdown(incident.priority)} |`);
  lines.push(`| Type | ${escapeMarkdown(incident.type)} |`);
  lines.push(`| Visibility | ${incident.visibility} |`);
  lines.push(`| Reported by | ${name(incident.reporterId)} |`);
  lines.push(`| Incident Commander | ${name(incident.commanderId)} |`);

  section('Durations');
  const reported = incident.reportedAt.getTime();
  lines.push(`- Reported: ${utcTime(incident.reportedAt)}`);
  lines.push(
    incident.stableAt
      ? `- Stable: ${utcTime(incident.stableAt)} (${spanText(incident.stableAt.getTime() - reported)} after the report)`
      : '- Stable: not yet',
  );
  lines.push(
    incident.closedAt
      ? `- Closed: ${utcTime(incident.closedAt)} (${spanText(incident.closedAt.getTime() - reported)} after the report${
          incident.stableAt ? `, ${spanText(incident.closedAt.getTime() - incident.stableAt.getTime())} after stable` : ''
        })`
      : '- Closed: not yet',
  );

  section('Roles and participants');
  const byRole = new Map<string, string[]>();
  for (const { userId, role } of record.roles) byRole.set(role, [...new Set([...(byRole.get(role) ?? []), userId])]);
  for (const [role, label] of Object.entries(ROLE_LABELS)) {
    const holders = byRole.get(role);
    if (holders && role !== 'participant') lines.push(`- ${label}: ${holders.sort().map(name).join(', ')}`);
  }
  const participants = [...record.participants].sort(
    (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  if (participants.length === 0) lines.push('- Nobody joined the channel.');
  else {
    const people = participants.map(
      (participant) =>
        `${name(participant.userId)} (joined ${utcTime(participant.joinedAt)}${participant.leftAt ? `, left ${utcTime(participant.leftAt)}` : ''})`,
    );
    lines.push(`- Participants (${participants.length}): ${people.join('; ')}`);
  }

  section('Status reports');
  const reports = [...record.statusReports].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  if (reports.length === 0) lines.push('No status reports were posted.');
  reports.forEach((report, index) => {
    if (index > 0) lines.push('');
    lines.push(`### ${utcTime(report.createdAt)}, by ${name(report.authorId)}`, '');
    lines.push(`**Conditions:** ${escapeMarkdownBlock(report.conditions) || '_none_'}  `);
    lines.push(`**Actions:** ${escapeMarkdownBlock(report.actions) || '_none_'}  `);
    lines.push(`**Needs:** ${escapeMarkdownBlock(report.needs) || '_none_'}`);
  });

  section('Timeline');
  const timeline = [...record.timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id);
  if (timeline.length === 0) lines.push('Nothing was recorded.');
  for (const event of timeline) {
    const actor = event.actorId ? ` (${name(event.actorId)})` : '';
    const source = event.permalink && safeUrl(event.permalink) ? ` [message](${safeUrl(event.permalink)})` : '';
    lines.push(`- ${utcTime(event.occurredAt)}: ${escapeMarkdown(event.text)}${actor}${source}`);
  }

  section('Tasks');
  if (record.tasks.length === 0) lines.push('No tasks were recorded.');
  for (const task of record.tasks) {
    const who = task.assigneeIds.length > 0 ? task.assigneeIds.map(name).join(', ') : 'unassigned';
    const state = task.status === 'resolved' ? `resolved${task.resolvedAt ? ` ${utcTime(task.resolvedAt)}` : ''}` : 'open';
    lines.push(
      `- [${task.status === 'resolved' ? 'x' : ' '}] ${link(escapeMarkdown(task.description), task.sourceUrl)} (${who}; ${state})`,
    );
  }

  section('Follow-ups');
  if (record.followUps.length === 0) lines.push('No follow-ups yet.');
  for (const followUp of record.followUps) {
    const due = followUp.dueOn ? `due ${followUp.dueOn}` : 'no due date';
    const state = followUp.status === 'resolved' ? `done${followUp.resolvedAt ? ` ${utcTime(followUp.resolvedAt)}` : ''}` : 'open';
    lines.push(
      `- [${followUp.status === 'resolved' ? 'x' : ' '}] ${link(escapeMarkdown(followUp.description), followUp.sourceUrl)} (owner ${name(followUp.ownerId)}; ${due}; ${state})`,
    );
  }

  section('Resources');
  if (record.resources.length === 0) lines.push('No resources were attached.');
  for (const resource of record.resources) lines.push(`- ${resource.kind}: ${link(escapeMarkdown(resource.title), resource.url)}`);

  if (record.feedback) {
    const { feedback } = record;
    section('Feedback from responders');
    lines.push(
      feedback.averageRating === null
        ? `No answers yet (${feedback.asked} asked).`
        : `Average rating ${feedback.averageRating.toFixed(1)} of 5 from ${feedback.answers} of ${feedback.asked} asked.`,
    );
    for (const comment of feedback.comments) {
      const who = comment.authorId ? name(comment.authorId) : 'anonymous';
      const parts = [
        comment.wentWell ? `went well: ${escapeMarkdown(comment.wentWell)}` : '',
        comment.toImprove ? `to improve: ${escapeMarkdown(comment.toImprove)}` : '',
      ].filter(Boolean);
      lines.push(`- ${comment.rating}/5, ${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`);
    }
  }

  section('Root cause');
  lines.push(TO_WRITE);
  section('What went well');
  lines.push(TO_WRITE);
  section('What to change');
  lines.push(TO_WRITE);
  return `${lines.join('\n')}\n`;
}
