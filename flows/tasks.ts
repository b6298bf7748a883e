import type { Incident } from '../incidents/model';
import type { NewTask } from '../incidents/tasks';
import { noticeMessage } from '../slack/blocks/feedback';
import type { SlackMessage } from '../slack/blocks/message';
import { addTaskModal, type TaskFormMetadata, taskAddedNotice, taskAssignedMessage, taskListMessage } from '../slack/blocks/tasks';
import { mention } from '../slack/blocks/text';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';
import { type Reply, redrawnInPlace } from './reply';

type TaskListDependencies = Pick<FlowDependencies, 'tasks' | 'gateway'>;

/**
 * Shows the task list through a response_url. With `replace`, it takes the place of the message
 * the response_url belongs to: that is how an ephemeral list is updated in place.
 */
export async function showTaskList(deps: TaskListDependencies, incident: Incident, responseUrl: string, replace: boolean): Promise<void> {
  await deps.gateway.respond(responseUrl, { ...(await taskList(deps, incident)), replaceOriginal: replace });
}

/** The task list as a message: one query, so the list command answers with it in its ack. */
export async function taskList(deps: Pick<FlowDependencies, 'tasks'>, incident: Incident): Promise<SlackMessage> {
  return taskListMessage(incident, await deps.tasks.list(incident.id));
}

export async function openTaskForm(
  deps: Pick<FlowDependencies, 'gateway'>,
  request: {
    triggerId: string;
    incident: Incident;
    metadata: Omit<TaskFormMetadata, 'incidentId'>;
    prefill?: { description?: string };
  },
): Promise<void> {
  const { incident } = request;
  await deps.gateway.openView(
    request.triggerId,
    addTaskModal(incident, { incidentId: incident.id, ...request.metadata }, request.prefill ?? {}),
  );
}

/**
 * Records the task, DMs each assignee, then refreshes the list it was added from (or confirms
 * privately when it came from a message). DMs that fail are named to the creator.
 */
export async function addTask(
  deps: TaskListDependencies & Pick<FlowDependencies, 'incidents' | 'links' | 'settings'>,
  request: { input: NewTask; source?: TaskFormMetadata['source']; listResponseUrl?: string; reply: Reply },
): Promise<void> {
  const source = request.source;
  const sourceUrl = source
    ? ((await deps.gateway.permalink(source.channelId, source.ts)) ?? deps.links.message(source.channelId, source.ts))
    : null;
  const task = await deps.tasks.create({ ...request.input, sourceUrl });
  const incident = await deps.incidents.require(task.incidentId);
  const problems: string[] = [];
  for (const assigneeId of task.assigneeIds) {
    if (assigneeId === task.creatorId) continue;
    try {
      await deps.gateway.sendDirectMessage(assigneeId, taskAssignedMessage(incident, task, deps.links, deps.settings.commands.listTasks));
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      problems.push(`${mention(assigneeId)} could not be told (${error.plainWords})`);
    }
  }
  const listResponseUrl = request.listResponseUrl;
  const listUpdated = listResponseUrl !== undefined && (await redrawnInPlace(() => showTaskList(deps, incident, listResponseUrl, true)));
  if (!listUpdated) await request.reply(taskAddedNotice(incident, task));
  if (problems.length > 0) await request.reply(noticeMessage(`The task is recorded, but ${problems.join('; ')}.`));
}

/** Resolve or Reopen on the list: records the change and redraws the list in place. */
export async function changeTaskStatus(
  deps: TaskListDependencies & Pick<FlowDependencies, 'incidents'>,
  request: { taskId: number; resolved: boolean; actorId: string; responseUrl: string },
): Promise<Incident> {
  const { task } = request.resolved
    ? await deps.tasks.resolve(request.taskId, request.actorId)
    : await deps.tasks.reopen(request.taskId, request.actorId);
  const incident = await deps.incidents.require(task.incidentId);
  await showTaskList(deps, incident, request.responseUrl, true);
  return incident;
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { showTaskList, taskList, openTaskForm, addTask, changeTaskStatus };
