import { DomainError } from '../../incidents/errors';
import { addToRequestContext } from '../../logging/context';
import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

/** "Status report" on the pinned summary or in a reminder: opens the report form. */
const statusReportButton = incidentButton({ restrictedAs: 'statusReport' }, async ({ body }, deps, incident) => {
  await deps.flows.openStatusReportForm({ triggerId: body.trigger_id, incident });
});

/** "Snooze 30 min / 1 h / 2 h" in a reminder: no reminder before then; the reminder says so in place. */
async function snoozeButton({ ack, action, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> {
  await ack();
  const [incidentId, minutes] = (action.value ?? '').split(':').map(Number);
  if (!Number.isInteger(incidentId) || !Number.isInteger(minutes)) {
    throw new DomainError('That button does not belong to a reminder any more.', 'bad_button');
  }
  const incidentName = await deps.flows.snoozeReminder({ incidentId, minutes, responseUrl: body.response_url });
  addToRequestContext({ incident: incidentName });
}

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.action({ action_id: ACTIONS.statusReport, type: 'block_actions' }, (args) => statusReportButton(args, deps));
  // One action id per snooze length (ids are unique within a block); the value carries incident and minutes.
  routes.action({ action_id: new RegExp(`^${ACTIONS.snoozeReminder}_\\d+$`), type: 'block_actions' }, (args) => snoozeButton(args, deps));
}
