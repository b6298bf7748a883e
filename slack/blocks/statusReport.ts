import type { Button, KnownBlock, ModalView } from '@slack/types';
import type { Incident, StatusReport } from '../../incidents/model';
import { REPORT_FIELD_LIMIT, type ReportField } from '../../incidents/reports';
import type { WorkspaceLinks } from '../links';
import { ACTIONS, VIEWS } from './ids';
import type { IncidentMetadata } from './incidentModals';
import { modal, textInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, formatDuration, link, mention, plain, section, slackDate } from './text';

const FIELDS: Array<{ field: ReportField; label: string; placeholder: string }> = [
  { field: 'conditions', label: 'Conditions', placeholder: 'What is the situation now? Who and what is affected?' },
  { field: 'actions', label: 'Actions', placeholder: 'What is being done, and by whom?' },
  { field: 'needs', label: 'Needs', placeholder: 'What help or decisions are needed?' },
];

function incidentButton(text: string, actionId: string, incident: Incident, style?: 'primary'): Button {
  return { type: 'button', text: plain(text), action_id: actionId, value: String(incident.id), ...(style ? { style } : {}) };
}

/** "Status report" on the pinned summary and in reminders: opens the report form. */
export function statusReportButton(incident: Incident, style?: 'primary'): Button {
  return incidentButton('Status report', ACTIONS.statusReport, incident, style);
}

/** The report form, prefilled from the incident's last report so only what changed needs typing. */
export function statusReportModal(incident: Incident, latest: StatusReport | null): ModalView {
  const blocks: KnownBlock[] = [context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}`)];
  for (const { field, label, placeholder } of FIELDS) {
    blocks.push(textInput(field, label, { initial: latest?.[field], multiline: true, maxLength: REPORT_FIELD_LIMIT, placeholder }));
  }
  if (latest)
    blocks.push(context(`Prefilled from the last report, by ${mention(latest.authorId)} ${slackDate(latest.createdAt, '{ago}')}.`));
  return modal({
    callbackId: VIEWS.statusReport,
    title: 'Status report',
    submit: 'Post report',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks,
  });
}

/** The report as posted (and pinned) in the incident channel: who wrote it, when, and its three parts. */
export function statusReportMessage(incident: Incident, report: StatusReport): SlackMessage {
  return {
    text: `Status report for ${incident.name}`,
    blocks: [
      section(`:memo: *Status report* for *${escapeText(incident.name)}* by ${mention(report.authorId)}, ${slackDate(report.createdAt)}`),
      ...FIELDS.map(({ field, label }) => section(`*${label}*\n${escapeText(report[field])}`)),
    ],
  };
}

export interface ReminderFacts {
  lastReportAt: Date | null;
  dueAt: Date;
  snoozeMinutes: readonly number[];
}

const snoozeLabel = (minutes: number) => (minutes < 60 ? `${minutes} min` : `${minutes / 60} h`);

/** The commander's DM: a report is due. One button opens the form; the others snooze. */
export function reminderMessage(incident: Incident, facts: ReminderFacts, links: WorkspaceLinks): SlackMessage {
  const since = facts.lastReportAt
    ? `The last status report was posted ${slackDate(facts.lastReportAt, '{ago}')}.`
    : `It has had no status report since it was reported ${slackDate(incident.reportedAt, '{ago}')}.`;
  const channel = incident.channelId ? ` in ${link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)}` : '';
  const snoozes = facts.snoozeMinutes.map(
    (minutes): Button => ({
      type: 'button',
      text: plain(`Snooze ${snoozeLabel(minutes)}`),
      action_id: `${ACTIONS.snoozeReminder}_${minutes}`,
      value: `${incident.id}:${minutes}`,
    }),
  );
  return {
    text: `${incident.name} needs a status report`,
    blocks: [
      section(`:alarm_clock: *${escapeText(incident.name)}: ${escapeText(incident.title)}* needs a status report${channel}. ${since}`),
      context(`You get this as its Incident Commander (${escapeText(incident.priority)} priority).`),
      { type: 'actions', block_id: 'reminder_actions', elements: [statusReportButton(incident, 'primary'), ...snoozes] },
    ],
  };
}

/** The reminder after a snooze: when it comes back, and the form still one click away. */
export function snoozedReminderMessage(incident: Incident, until: Date, minutes: number): SlackMessage {
  return {
    text: `Status report reminders for ${incident.name} are snoozed`,
    blocks: [
      section(
        `:zzz: Status report reminders for *${escapeText(incident.name)}* are snoozed for ${formatDuration(minutes * 60_000)}, until ${slackDate(until, '{time}')}.`,
      ),
      { type: 'actions', block_id: 'reminder_actions', elements: [statusReportButton(incident)] },
    ],
  };
}
