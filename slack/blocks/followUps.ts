import type { Button, InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { FollowUp, Incident, Task } from '../../incidents/model';
import { TASK_DESCRIPTION_LIMIT } from '../../incidents/tasks';
import type { WorkspaceLinks } from '../links';
import { ACTIONS, INPUT_ACTION, VIEWS } from './ids';
import { modal, option, selectInput, textInput, userInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, link, mention, plain, section, truncate } from './text';

/** What the follow-up form remembers: the incident and the message it comes from. */
export interface FollowUpFormMetadata {
  incidentId: number;
  source?: { channelId: string; ts: string };
}

export function isFollowUpFormMetadata(value: unknown): value is FollowUpFormMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const source = candidate.source as Record<string, unknown> | undefined;
  return (
    Number.isInteger(candidate.incidentId) &&
    (source === undefined || (typeof source.channelId === 'string' && typeof source.ts === 'string'))
  );
}

/** An optional day from a calendar. */
export function dateInput(blockId: string, label: string, options: { initial?: string | null; hint?: string } = {}): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: { type: 'datepicker', action_id: INPUT_ACTION, ...(options.initial ? { initial_date: options.initial } : {}) },
  };
}

const incidentLine = (incident: Incident) => context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}`);

/** The follow-up form: what, who owns it (the commander unless changed), by when. */
export function followUpModal(
  incident: Incident,
  metadata: FollowUpFormMetadata,
  prefill: { description?: string; ownerId?: string | null } = {},
): ModalView {
  return modal({
    callbackId: VIEWS.followUp,
    title: 'Add follow-up',
    submit: 'Add follow-up',
    privateMetadata: metadata,
    blocks: [
      incidentLine(incident),
      textInput('description', 'Follow-up', {
        initial: prefill.description ? truncate(prefill.description, TASK_DESCRIPTION_LIMIT) : undefined,
        multiline: true,
        maxLength: TASK_DESCRIPTION_LIMIT,
        placeholder: 'What should change so this does not happen again',
      }),
      userInput('owner', 'Owner', { initial: prefill.ownerId ?? incident.commanderId }),
      dateInput('due', 'Due date', { hint: 'Overdue follow-ups are reminded to their owner once a day.' }),
    ],
  });
}

/** Turning an open task into a follow-up: which task, who owns it, by when. */
export function makeFollowUpModal(incident: Incident, openTasks: Task[]): ModalView {
  return modal({
    callbackId: VIEWS.makeFollowUp,
    title: 'Make it a follow-up',
    submit: 'Make follow-up',
    privateMetadata: { incidentId: incident.id },
    blocks: [
      incidentLine(incident),
      selectInput(
        'task',
        'Task',
        openTasks.map((task) => option(String(task.id), task.description)),
        { initial: openTasks.length === 1 ? String(openTasks[0].id) : null },
      ),
      userInput('owner', 'Owner', { initial: incident.commanderId }),
      dateInput('due', 'Due date', { hint: 'Overdue follow-ups are reminded to their owner once a day.' }),
    ],
  });
}

export function doneButton(followUp: FollowUp): Button {
  return { type: 'button', text: plain('Mark done'), action_id: ACTIONS.followUpDone, value: String(followUp.id), style: 'primary' };
}

function where(incident: Incident, links: WorkspaceLinks): string {
  return incident.channelId
    ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)
    : escapeText(incident.name);
}

const dueText = (followUp: FollowUp): string => (followUp.dueOn ? `due *${followUp.dueOn}*` : 'no due date');

function followUpSection(text: string, followUp: FollowUp): KnownBlock {
  return { ...section(text), block_id: `follow_up_${followUp.id}`, accessory: doneButton(followUp) };
}

/** The owner's DM: what, for which incident (with a link), by when, and a Mark done button. */
export function followUpAssignedMessage(incident: Incident, followUp: FollowUp, links: WorkspaceLinks): SlackMessage {
  const source = followUp.sourceUrl ? ` (from ${link(followUp.sourceUrl, 'this message')})` : '';
  return {
    text: `You own a follow-up of ${incident.name}`,
    blocks: [
      followUpSection(
        `:memo: ${mention(followUp.creatorId)} made you the owner of a follow-up of *${escapeText(incident.name)}*${source}, ${dueText(followUp)}:\n>${escapeText(
          truncate(followUp.description, 2000),
        ).replace(/\n/g, '\n>')}`,
        followUp,
      ),
      context(`Incident: ${where(incident, links)}. Your open follow-ups are also on the app's Home tab.`),
    ],
  };
}

/** The daily reminder of an overdue follow-up. */
export function followUpReminderMessage(incident: Incident, followUp: FollowUp, links: WorkspaceLinks): SlackMessage {
  return {
    text: `Overdue follow-up of ${incident.name}`,
    blocks: [
      followUpSection(
        `:alarm_clock: A follow-up of *${escapeText(incident.name)}* you own was due *${followUp.dueOn}*:\n>${escapeText(
          truncate(followUp.description, 2000),
        ).replace(/\n/g, '\n>')}`,
        followUp,
      ),
      context(`Incident: ${where(incident, links)}. You are reminded once a day until it is done.`),
    ],
  };
}

/** What the Mark done button turns the DM into. */
export function followUpDoneMessage(incident: Incident, followUp: FollowUp, actorId: string): SlackMessage {
  return {
    text: `Follow-up of ${incident.name} done`,
    blocks: [
      section(
        `:white_check_mark: ~${escapeText(truncate(followUp.description, 2000))}~\nFollow-up of *${escapeText(incident.name)}*, marked done by ${mention(actorId)}.`,
      ),
    ],
  };
}

/** Confirms new follow-ups to whoever added them. */
export function followUpsAddedNotice(incident: Incident, followUps: FollowUp[]): SlackMessage {
  const lines = followUps.map(
    (followUp) => `• ${escapeText(truncate(followUp.description, 300))}: ${mention(followUp.ownerId)}, ${dueText(followUp)}`,
  );
  const noun = followUps.length === 1 ? 'Follow-up' : `${followUps.length} follow-ups`;
  return {
    text: `${noun} added to ${incident.name}`,
    blocks: [section(`:memo: ${noun} added to *${escapeText(incident.name)}*:\n${lines.join('\n')}`)],
  };
}
