import type { App, ViewSubmitAction } from '@slack/bolt';
import { addFollowUps, makeTaskAFollowUp } from '../../flows/followUps';
import { DomainError } from '../../incidents/errors';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { isFollowUpFormMetadata } from '../../slack/blocks/followUps';
import { VIEWS } from '../../slack/blocks/ids';
import { ANONYMOUS_OPTION, feedbackThanksMessage } from '../../slack/blocks/responderFeedback';
import { replyAfterSubmission } from '../common/reply';
import { hasIncidentId, readMetadata, ViewAnswers } from '../common/viewState';
import type { ViewSubmissionArgs } from '../types';

const OUT_OF_DATE = 'This form is out of date; open it again.';

/** The follow-up form (message shortcut, /dispatch followup): problems are shown inline; otherwise recorded. */
async function submitFollowUp({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, isFollowUpFormMetadata);
  const answers = new ViewAnswers(view.state.values);
  const description = answers.text('description');
  const dueOn = answers.date('due');
  const ownerId = answers.user('owner');
  if (!metadata) {
    await ack({ response_action: 'errors', errors: { description: OUT_OF_DATE } });
    return;
  }
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
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  await addFollowUps(deps, {
    inputs: [{ incidentId: incident.id, description, ownerId, dueOn, creatorId: body.user.id }],
    source: metadata.source,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

/** Turning a task into a follow-up. */
async function submitMakeFollowUp({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, hasIncidentId);
  const answers = new ViewAnswers(view.state.values);
  const taskId = Number(answers.option('task'));
  const ownerId = answers.user('owner');
  const dueOn = answers.date('due');
  const errors: Record<string, string> = {};
  if (!metadata || !Number.isInteger(taskId)) errors.task = OUT_OF_DATE;
  if (!ownerId) errors.owner = 'Pick who owns it.';
  const dueProblem = deps.followUps.dueProblem(dueOn);
  if (dueProblem) errors.due = dueProblem;
  if (Object.keys(errors).length > 0 || !ownerId || !metadata) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  await makeTaskAFollowUp(deps, {
    taskId,
    ownerId,
    dueOn,
    actorId: body.user.id,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

/** The feedback form: stored once; a second answer is refused in the form, the first kept. */
async function submitFeedback({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, hasIncidentId);
  const answers = new ViewAnswers(view.state.values);
  const answer = {
    rating: Number(answers.option('rating')),
    wentWell: answers.text('went_well'),
    toImprove: answers.text('to_improve'),
    anonymous: answers.options('anonymous').includes(ANONYMOUS_OPTION),
  };
  if (!metadata) {
    await ack({ response_action: 'errors', errors: { rating: OUT_OF_DATE } });
    return;
  }
  const problems = deps.feedback.answerProblem(answer);
  if (Object.keys(problems).length > 0) {
    await ack({ response_action: 'errors', errors: problems });
    return;
  }
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  try {
    await deps.feedback.submit({ incidentId: incident.id, userId: body.user.id, ...answer });
  } catch (error) {
    if (error instanceof DomainError) {
      await ack({ response_action: 'errors', errors: { rating: error.message } });
      return;
    }
    throw error;
  }
  await ack();
  await deps.gateway.sendDirectMessage(body.user.id, feedbackThanksMessage(incident));
}

export function register(app: App, deps: Dependencies): void {
  app.view<ViewSubmitAction>({ callback_id: VIEWS.followUp, type: 'view_submission' }, (args) => submitFollowUp(args, deps));
  app.view<ViewSubmitAction>({ callback_id: VIEWS.makeFollowUp, type: 'view_submission' }, (args) => submitMakeFollowUp(args, deps));
  app.view<ViewSubmitAction>({ callback_id: VIEWS.feedback, type: 'view_submission' }, (args) => submitFeedback(args, deps));
}
