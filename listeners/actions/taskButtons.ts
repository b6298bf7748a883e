import type { ButtonAction } from '@slack/bolt';
import { DomainError } from '../../incidents/errors';
import { addToRequestContext } from '../../logging/context';
import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

function taskIdOf(action: ButtonAction): number {
  const id = Number(action.value);
  if (!Number.isInteger(id)) throw new DomainError('That button does not belong to a task any more.', 'bad_button');
  return id;
}

/** Resolve / Reopen on the task list: the list is redrawn in place through the click's response_url. */
function taskStatusButton(resolved: boolean) {
  return async ({ ack, action, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> => {
    await ack();
    const incident = await deps.flows.changeTaskStatus({
      taskId: taskIdOf(action),
      resolved,
      actorId: body.user.id,
      responseUrl: body.response_url,
    });
    addToRequestContext({ incident: incident.name });
  };
}

/** "Add task" on the list: the task form, remembering the list so it can be redrawn after. */
const addTaskButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.openTaskForm({ triggerId: body.trigger_id, incident, metadata: { listResponseUrl: body.response_url } });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.action({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.resolveTask, taskStatusButton(true));
  on(ACTIONS.reopenTask, taskStatusButton(false));
  on(ACTIONS.addTask, addTaskButton);
}
