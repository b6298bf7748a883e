import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandName } from '../../config';
import { DomainError } from '../../incidents/errors';
import type { Incident, IncidentStatus } from '../../incidents/model';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { noticeMessage, problemMessage } from '../../slack/blocks/feedback';
import { ACTIONS } from '../../slack/blocks/ids';
import { editIncidentModal } from '../../slack/blocks/incidentModals';
import { channelMention } from '../../slack/blocks/text';
import { replyByResponseUrl } from '../common/reply';
import { refuseIfRestricted } from '../common/restrictions';
import type { ButtonArgs } from '../types';
import { requestStatusChange } from '../useCases/incidentStatus';

/** The incident a button is about (its value is the incident id we rendered). */
export async function incidentOfButton(deps: Dependencies, action: ButtonAction): Promise<Incident> {
  const id = Number(action.value);
  if (!Number.isInteger(id)) throw new DomainError('That button does not belong to an incident any more.', 'bad_button');
  const incident = await deps.incidents.require(id);
  addToRequestContext({ incident: incident.name });
  return incident;
}

const STATUS_COMMANDS: Record<IncidentStatus, CommandName> = { active: 'markActive', stable: 'markStable', closed: 'markClosed' };

function statusButton(target: IncidentStatus) {
  return async ({ ack, action, body }: ButtonArgs, deps: Dependencies) => {
    await ack();
    const incident = await incidentOfButton(deps, action);
    await refuseIfRestricted(deps, incident, body.user.id, STATUS_COMMANDS[target]);
    await requestStatusChange(deps, {
      incident,
      target,
      actorId: body.user.id,
      triggerId: body.trigger_id,
      reply: replyByResponseUrl(deps, body.response_url),
    });
  };
}

async function editButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await refuseIfRestricted(deps, incident, body.user.id, 'editIncident');
  await deps.gateway.openView(body.trigger_id, editIncidentModal(incident, deps.settings.incident));
}

/** "Join incident" on an announcement: invites whoever clicked, unless the incident is restricted or closed. */
async function joinButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const reply = replyByResponseUrl(deps, body.response_url);
  const incident = await incidentOfButton(deps, action);
  if (incident.visibility === 'restricted') {
    await reply(problemMessage(`${incident.name} is restricted: only people its commander invites can join.`));
    return;
  }
  if (incident.status === 'closed') {
    await reply(problemMessage(`${incident.name} is closed, so there is nothing to join. Its channel keeps the history.`));
    return;
  }
  if (!incident.channelId) {
    await reply(problemMessage(`${incident.name} has no channel yet; try again in a minute.`));
    return;
  }
  const outcome = await deps.gateway.invite(incident.channelId, [body.user.id]);
  if (outcome.failed.length > 0) throw outcome.failed[0].error;
  const where = channelMention(incident.channelId);
  await reply(noticeMessage(outcome.invited.length > 0 ? `You joined ${incident.name}: ${where}` : `You are already in ${where}.`));
}

/** "Retry setup" after a partial failure: runs the setup again; what exists is reused. */
async function retrySetupButton({ ack, action }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await deps.presence.setUp(incident);
}

export function register(app: App, deps: Dependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: Dependencies) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.markActive, statusButton('active'));
  on(ACTIONS.markStable, statusButton('stable'));
  on(ACTIONS.markClosed, statusButton('closed'));
  on(ACTIONS.edit, editButton);
  on(ACTIONS.join, joinButton);
  on(ACTIONS.retrySetup, retrySetupButton);
}
