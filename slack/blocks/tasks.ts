import type { Button, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { Incident, Task } from '../../incidents/model';
import { TASK_DESCRIPTION_LIMIT } from '../../incidents/tasks';
import type { WorkspaceLinks } from '../links';
import { ACTIONS, VIEWS } from './ids';
import { modal, textInput, usersInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, LIMITS, link, mention, plain, section, slackDate, truncate } from './text';

/** What the task form remembers: the incident, the message it comes from, the list to refresh. */
export interface TaskFormMetadata {
  incidentId: number;
  /** The message a task is made from (the "Add task" shortcut). */
  source?: { channelId: string; ts: string };
  /** response_url of the task list the form was opened from, to update that list in place. */
  listResponseUrl?: string;
}

export function isTaskFormMetadata(value: unknown): value is TaskFormMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const source = candidate.source as Record<string, unknown> | undefined;
  return (
    Number.isInteger(candidate.incidentId) &&
    (source === undefined || (typeof source.channelId === 'string' && typeof source.ts === 'string')) &&
    (candidate.listResponseUrl === undefined || typeof candidate.listResponseUrl === 'string')
  );
}

function taskButton(task: Task): Button {
  return task.status === 'open'
    ? { type: 'button', text: plain('Resolve'), action_id: ACTIONS.resolveTask, value: String(task.id), style: 'primary' }
    : { type: 'button', text: plain('Reopen'), action_id: ACTIONS.reopenTask, value: String(task.id) };
}

function taskLine(task: Task): SectionBlock {
  const assignees = task.assigneeIds.length > 0 ? task.assigneeIds.map(mention).join(', ') : '_nobody_';
  const details = [`Assigned to ${assignees}`, `created by ${mention(task.creatorId)} ${slackDate(task.createdAt, '{ago}')}`];
  if (task.status === 'resolved' && task.resolvedAt) {
    details.push(`resolved${task.resolvedBy ? ` by ${mention(task.resolvedBy)}` : ''} ${slackDate(task.resolvedAt, '{ago}')}`);
  }
  if (task.sourceUrl) details.push(link(task.sourceUrl, 'message'));
  const description = escapeText(truncate(task.description, 1500));
  const heading = task.status === 'open' ? `:white_square: *${description}*` : `:white_check_mark: ~${description}~`;
  return { ...section(`${heading}\n${details.join(' · ')}`), block_id: `task_${task.id}`, accessory: taskButton(task) };
}

/** Blocks around the tasks: heading, two group labels, the overflow note, the "Add task" button. */
const FRAME_BLOCKS = 5;

/** The task list: open tasks, then resolved ones, each with Resolve or Reopen; "Add task" at the end. */
export function taskListMessage(incident: Incident, tasks: Task[]): SlackMessage {
  const open = tasks.filter((task) => task.status === 'open');
  const resolved = tasks.filter((task) => task.status === 'resolved');
  const summary = `${open.length} open, ${resolved.length} resolved`;
  const blocks: KnownBlock[] = [section(`:clipboard: *Tasks of ${escapeText(incident.name)}* (${summary})`)];
  if (tasks.length === 0) blocks.push(section('_No tasks yet._ Add one below, or use "Add task" on a message.'));
  let room = LIMITS.messageBlocks - FRAME_BLOCKS;
  for (const [label, group] of [
    ['Open', open],
    ['Resolved', resolved],
  ] as const) {
    const shown = group.slice(0, room);
    if (shown.length === 0) continue;
    blocks.push(context(`*${label}*`), ...shown.map(taskLine));
    room -= shown.length;
  }
  const hidden = tasks.length - (LIMITS.messageBlocks - FRAME_BLOCKS - room);
  if (hidden > 0) blocks.push(context(`${hidden} more task${hidden === 1 ? ' is' : 's are'} not shown.`));
  blocks.push({
    type: 'actions',
    block_id: 'task_list_actions',
    elements: [
      { type: 'button', text: plain('Add task'), action_id: ACTIONS.addTask, value: String(incident.id) },
      ...(open.length > 0
        ? [{ type: 'button' as const, text: plain('Make a follow-up'), action_id: ACTIONS.makeFollowUp, value: String(incident.id) }]
        : []),
    ],
  });
  return { text: `Tasks of ${incident.name}: ${summary}`, blocks };
}

/** The task form: a description (prefilled from a message) and who does it. */
export function addTaskModal(incident: Incident, metadata: TaskFormMetadata, prefill: { description?: string } = {}): ModalView {
  return modal({
    callbackId: VIEWS.addTask,
    title: 'Add task',
    submit: 'Add task',
    privateMetadata: metadata,
    blocks: [
      context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}`),
      textInput('description', 'Task', {
        initial: prefill.description ? truncate(prefill.description, TASK_DESCRIPTION_LIMIT) : undefined,
        multiline: true,
        maxLength: TASK_DESCRIPTION_LIMIT,
        placeholder: 'What needs doing',
      }),
      usersInput('assignees', 'Assignees', { optional: true }),
    ],
  });
}

/** An assignee's DM: what to do, for which incident, who asked. */
export function taskAssignedMessage(incident: Incident, task: Task, links: WorkspaceLinks, listCommand: string): SlackMessage {
  const where = incident.channelId ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`) : incident.name;
  const source = task.sourceUrl ? ` (from ${link(task.sourceUrl, 'this message')})` : '';
  return {
    text: `You have a task in ${incident.name}`,
    blocks: [
      section(
        `:clipboard: ${mention(task.creatorId)} assigned you a task in *${escapeText(incident.name)}*${source}:\n>${escapeText(truncate(task.description, 2000)).replace(/\n/g, '\n>')}`,
      ),
      context(`Work it in ${where}; ${escapeText(listCommand)} there lists the tasks, to resolve it when done.`),
    ],
  };
}

/** Confirms a task to whoever added it (when there is no list to update). */
export function taskAddedNotice(incident: Incident, task: Task): SlackMessage {
  const assignees = task.assigneeIds.length > 0 ? `, assigned to ${task.assigneeIds.map(mention).join(', ')}` : '';
  return {
    text: `Task added to ${incident.name}`,
    blocks: [
      section(`:clipboard: Task added to *${escapeText(incident.name)}*${assignees}: ${escapeText(truncate(task.description, 2000))}`),
    ],
  };
}
