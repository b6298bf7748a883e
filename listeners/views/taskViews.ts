import type { App, ViewSubmitAction } from '@slack/bolt';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { VIEWS } from '../../slack/blocks/ids';
import { isTaskFormMetadata } from '../../slack/blocks/tasks';
import { replyAfterSubmission } from '../common/reply';
import { readMetadata, ViewAnswers } from '../common/viewState';
import type { ViewSubmissionArgs } from '../types';
import { addTask } from '../useCases/tasks';

/** The task form: an empty or overlong description is refused inline; otherwise the task is added. */
async function submitTask({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, isTaskFormMetadata);
  const answers = new ViewAnswers(view.state.values);
  const description = answers.text('description');
  const problem = metadata ? deps.tasks.descriptionProblem(description) : 'This form is out of date; open it again.';
  if (problem || !metadata) {
    await ack({ response_action: 'errors', errors: { description: problem ?? '' } });
    return;
  }
  await ack();
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  await addTask(deps, {
    input: { incidentId: incident.id, description, assigneeIds: answers.users('assignees'), creatorId: body.user.id },
    source: metadata.source,
    listResponseUrl: metadata.listResponseUrl,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

export function register(app: App, deps: Dependencies): void {
  app.view<ViewSubmitAction>({ callback_id: VIEWS.addTask, type: 'view_submission' }, (args) => submitTask(args, deps));
}
