import { incidentCommand } from '../incidentScope';

/** /dispatch-list-tasks: the incident's tasks, privately, with Resolve / Reopen and "Add task". */
export const listTasksCommand = incidentCommand({
  setting: 'listTasks',
  slug: { env: 'SLACK_COMMAND_LIST_TASKS_SLUG', default: '/dispatch-list-tasks', doc: "Lists the incident's tasks." },
  details: 'Also "Add task" on a message\'s menu.',
  description: "List this incident's tasks; resolve, reopen or add one",
  async handle({ ack }, deps, incident) {
    // One query away: the list is the ack itself (private), and nothing is posted afterwards.
    await ack({ response_type: 'ephemeral', ...(await deps.flows.taskList(incident)) });
  },
});
