import type { ButtonAction } from '@slack/bolt';
import { DomainError } from '../../incidents/errors';
import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

function idOf(action: ButtonAction, what: string): number {
  const id = Number(action.value);
  if (!Number.isInteger(id)) throw new DomainError(`That button does not belong to a ${what} any more.`, 'bad_button');
  return id;
}

/** Private answers to a click: through its response_url (a message), or by DM (the Home tab has none). */
function replyTo(deps: ListenerDependencies, body: ButtonArgs['body']) {
  return body.response_url ? deps.flows.replyByResponseUrl(body.response_url) : deps.flows.replyAfterSubmission(body.user.id);
}

const onHomeTab = (body: ButtonArgs['body']): boolean => body.view?.type === 'home';

/** Mark done, on the owner's DM (the DM turns into "done") or on the Home tab (redrawn). */
async function followUpDoneButton({ ack, action, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> {
  await ack();
  const home = onHomeTab(body);
  await deps.flows.completeFollowUp({
    taskId: idOf(action, 'follow-up'),
    actorId: body.user.id,
    responseUrl: home ? undefined : body.response_url,
    reply: replyTo(deps, body),
  });
  if (home) await deps.flows.showHome({ userId: body.user.id });
}

/** Resolve on the Home tab's task list; the tab is redrawn. */
async function homeTaskDoneButton({ ack, action, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> {
  await ack();
  await deps.flows.resolveTaskFromHome({ taskId: idOf(action, 'task'), actorId: body.user.id, reply: replyTo(deps, body) });
  await deps.flows.showHome({ userId: body.user.id });
}

/** "Make a follow-up" on the task list: pick an open task, its owner and due day. */
const makeFollowUpButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.openMakeFollowUpForm({ triggerId: body.trigger_id, incident, reply: replyTo(deps, body) });
});

/** "Give feedback" in the DM after close. */
async function openFeedbackButton({ ack, action, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> {
  await ack();
  await deps.flows.openFeedbackForm({
    triggerId: body.trigger_id,
    incidentId: idOf(action, 'incident'),
    userId: body.user.id,
    reply: replyTo(deps, body),
  });
}

/** "Postmortem draft" on the summary: the draft from the record as it stands, uploaded to the channel. */
const postmortemButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.postPostmortem({ incidentId: incident.id, actorId: body.user.id });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.action({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.followUpDone, followUpDoneButton);
  on(ACTIONS.homeTaskDone, homeTaskDoneButton);
  on(ACTIONS.makeFollowUp, makeFollowUpButton);
  on(ACTIONS.openFeedback, openFeedbackButton);
  on(ACTIONS.postmortem, postmortemButton);
}
