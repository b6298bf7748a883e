import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { markFollowUpDone } from '../../flows/followUps';
import { publishHome } from '../../flows/home';
import { uploadPostmortem } from '../../flows/postmortem';
import { maySee } from '../../flows/visibility';
import { DomainError } from '../../incidents/errors';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { noticeMessage, problemMessage } from '../../slack/blocks/feedback';
import { followUpDoneMessage, makeFollowUpModal } from '../../slack/blocks/followUps';
import { ACTIONS } from '../../slack/blocks/ids';
import { feedbackModal } from '../../slack/blocks/responderFeedback';
import type { SlackMessage } from '../../slack/gateway';
import type { Reply } from '../common/reply';
import type { ButtonArgs } from '../types';
import { incidentOfButton } from './incidentButtons';

function idOf(action: ButtonAction, what: string): number {
  const id = Number(action.value);
  if (!Number.isInteger(id)) throw new DomainError(`That button does not belong to a ${what} any more.`, 'bad_button');
  return id;
}

/** Private answers to a click: through its response_url (a message), or by DM (the Home tab has none). */
function replyTo(deps: Dependencies, body: ButtonArgs['body']): Reply {
  return (message: SlackMessage) =>
    body.response_url
      ? deps.gateway.respond(body.response_url, message)
      : deps.gateway.sendDirectMessage(body.user.id, message).then(() => undefined);
}

const fromHome = (body: ButtonArgs['body']) => body.container?.type === 'view' || body.view?.type === 'home';

/** Mark done, on the owner's DM (the DM turns into "done") or on the Home tab (redrawn). */
async function followUpDoneButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const done = await markFollowUpDone(deps, { taskId: idOf(action, 'follow-up'), actorId: body.user.id, reply: replyTo(deps, body) });
  if (!done) return;
  addToRequestContext({ incident: done.incident.name });
  if (fromHome(body)) {
    await publishHome(deps, body.user.id);
  } else if (body.response_url) {
    await deps.gateway.respond(body.response_url, {
      ...followUpDoneMessage(done.incident, done.change.followUp, body.user.id),
      replaceOriginal: true,
    });
  }
}

/** Resolve on the Home tab's task list; the tab is redrawn. */
async function homeTaskDoneButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const task = await deps.tasks.require(idOf(action, 'task'));
  const incident = await deps.incidents.require(task.incidentId);
  addToRequestContext({ incident: incident.name });
  if (!(await maySee(deps.store, incident, body.user.id)))
    throw new DomainError(`Only people who take part in ${incident.name} can change its tasks.`, 'not_allowed');
  await deps.tasks.resolve(task.id, body.user.id);
  await publishHome(deps, body.user.id);
}

/** "Make a follow-up" on the task list: pick an open task, its owner and due day. */
async function makeFollowUpButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  const followUpIds = await deps.store.followUps.taskIds(incident.id);
  const open = (await deps.tasks.list(incident.id)).filter((task) => task.status === 'open' && !followUpIds.has(task.id));
  if (open.length === 0) {
    await replyTo(deps, body)(problemMessage(`${incident.name} has no open task that is not a follow-up already.`));
    return;
  }
  await deps.gateway.openView(body.trigger_id, makeFollowUpModal(incident, open));
}

/** "Give feedback" in the DM after close: the form, unless this person already answered. */
async function openFeedbackButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  const answered = (await deps.store.feedback.list(incident.id)).some((feedback) => feedback.userId === body.user.id);
  if (answered) {
    await replyTo(deps, body)(noticeMessage(`You already gave feedback on ${incident.name}; thank you.`));
    return;
  }
  await deps.gateway.openView(body.trigger_id, feedbackModal(incident));
}

/** "Postmortem draft" on the summary: builds the draft from the record now and uploads it to the channel. */
async function postmortemButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await uploadPostmortem(deps, incident, body.user.id);
}

export function register(app: App, deps: Dependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: Dependencies) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.followUpDone, followUpDoneButton);
  on(ACTIONS.homeTaskDone, homeTaskDoneButton);
  on(ACTIONS.makeFollowUp, makeFollowUpButton);
  on(ACTIONS.openFeedback, openFeedbackButton);
  on(ACTIONS.postmortem, postmortemButton);
}
