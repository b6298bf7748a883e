import type { CommandName } from '../../config';
import type { IncidentStatus } from '../../incidents/model';
import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

const STATUS_COMMANDS: Record<IncidentStatus, CommandName> = { active: 'markActive', stable: 'markStable', closed: 'markClosed' };

/** Mark active / stable / closed on the pinned summary: the same flow, and the same restriction, as the command. */
const statusButton = (target: IncidentStatus) =>
  incidentButton({ restrictedAs: STATUS_COMMANDS[target] }, async ({ body }, deps, incident) => {
    await deps.flows.requestStatusChange({
      incident,
      target,
      actorId: body.user.id,
      triggerId: body.trigger_id,
      reply: deps.flows.replyByResponseUrl(body.response_url),
    });
  });

const editButton = incidentButton({ restrictedAs: 'editIncident' }, async ({ body }, deps, incident) => {
  await deps.flows.openEditForm({ triggerId: body.trigger_id, incident });
});

/** "Join incident" on an announcement: invites whoever clicked, unless the incident is restricted or closed. */
const joinButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.joinFromAnnouncement({ incident, userId: body.user.id, reply: deps.flows.replyByResponseUrl(body.response_url) });
});

/** "Retry setup" after a partial failure: runs the setup again; what exists is reused. */
const retrySetupButton = incidentButton({}, async (_args, deps, incident) => {
  await deps.flows.retrySetup(incident);
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.action({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.markActive, statusButton('active'));
  on(ACTIONS.markStable, statusButton('stable'));
  on(ACTIONS.markClosed, statusButton('closed'));
  on(ACTIONS.edit, editButton);
  on(ACTIONS.join, joinButton);
  on(ACTIONS.retrySetup, retrySetupButton);
}
