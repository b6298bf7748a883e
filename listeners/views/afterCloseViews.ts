import { isFollowUpFormMetadata } from '../../slack/blocks/followUps';
import { VIEWS } from '../../slack/blocks/ids';
import { ANONYMOUS_OPTION } from '../../slack/blocks/responderFeedback';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes, ViewSubmissionArgs } from '../types';
import { hasIncidentId, ViewAnswers } from '../viewState';

/** The follow-up form (message shortcut, `/dispatch followup`): problems are shown inline; otherwise recorded. */
const submitFollowUp = incidentForm(
  { isMetadata: isFollowUpFormMetadata, errorField: 'description' },
  async ({ ack, view, body }, deps, incident, metadata) => {
    const answers = new ViewAnswers(view.state.values);
    const description = answers.text('description');
    const dueOn = answers.date('due');
    const ownerId = answers.user('owner');
    const errors: Record<string, string> = {};
    const problem = deps.followUps.problem({ description, dueOn: null });
    if (problem) errors.description = problem;
    const dueProblem = deps.followUps.dueProblem(dueOn);
    if (dueProblem) errors.due = dueProblem;
    if (!ownerId) errors.owner = 'Pick who owns it.';
    if (Object.keys(errors).length > 0 || !ownerId) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deps.flows.addFollowUps({
      inputs: [{ incidentId: incident.id, description, ownerId, dueOn, creatorId: body.user.id }],
      source: metadata.source,
      reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    });
  },
);

/** Turning an open task into a follow-up. */
const submitMakeFollowUp = incidentForm({ isMetadata: hasIncidentId, errorField: 'task' }, async ({ ack, view, body }, deps, incident) => {
  const answers = new ViewAnswers(view.state.values);
  const taskId = Number(answers.option('task'));
  const ownerId = answers.user('owner');
  const dueOn = answers.date('due');
  const errors: Record<string, string> = {};
  if (!Number.isInteger(taskId) || taskId <= 0) errors.task = 'Pick the task.';
  if (!ownerId) errors.owner = 'Pick who owns it.';
  const dueProblem = deps.followUps.dueProblem(dueOn);
  if (dueProblem) errors.due = dueProblem;
  if (Object.keys(errors).length > 0 || !ownerId) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  await deps.flows.makeTaskAFollowUp({
    taskId,
    ownerId,
    dueOn,
    actorId: body.user.id,
    reply: deps.flows.replyAfterSubmission(body.user.id, incident),
  });
});

/** The feedback form: stored once; a second answer is refused in the form, the first kept. */
const submitFeedback = incidentForm({ isMetadata: hasIncidentId, errorField: 'rating' }, async ({ ack, view, body }, deps, incident) => {
  const answers = new ViewAnswers(view.state.values);
  const answer = {
    rating: Number(answers.option('rating')),
    wentWell: answers.text('went_well'),
    toImprove: answers.text('to_improve'),
    anonymous: answers.options('anonymous').includes(ANONYMOUS_OPTION),
  };
  const problems = deps.feedback.answerProblem(answer);
  if (Object.keys(problems).length > 0) {
    await ack({ response_action: 'errors', errors: problems });
    return;
  }
  const refused = await deps.flows.submitFeedback({ incidentId: incident.id, userId: body.user.id, ...answer });
  if (refused) {
    await ack({ response_action: 'errors', errors: { rating: refused } });
    return;
  }
  await ack();
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (callbackId: string, handler: (args: ViewSubmissionArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.view({ callback_id: callbackId, type: 'view_submission' }, (args) => handler(args, deps));
  on(VIEWS.followUp, submitFollowUp);
  on(VIEWS.makeFollowUp, submitMakeFollowUp);
  on(VIEWS.feedback, submitFeedback);
}
