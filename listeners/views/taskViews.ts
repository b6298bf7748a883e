import { VIEWS } from '../../slack/blocks/ids';
import { isTaskFormMetadata } from '../../slack/blocks/tasks';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';
import { ViewAnswers } from '../viewState';

/** The task form: an empty or overlong description is refused inline; otherwise the task is added. */
const submitTask = incidentForm(
  { isMetadata: isTaskFormMetadata, errorField: 'description' },
  async ({ ack, view, body }, deps, incident, metadata) => {
    const answers = new ViewAnswers(view.state.values);
    const description = answers.text('description');
    const problem = deps.tasks.descriptionProblem(description);
    if (problem) {
      await ack({ response_action: 'errors', errors: { description: problem } });
      return;
    }
    await ack();
    await deps.flows.addTask({
      input: { incidentId: incident.id, description, assigneeIds: answers.users('assignees'), creatorId: body.user.id },
      source: metadata.source,
      listResponseUrl: metadata.listResponseUrl,
      reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    });
  },
);

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.addTask, type: 'view_submission' }, (args) => submitTask(args, deps));
}
