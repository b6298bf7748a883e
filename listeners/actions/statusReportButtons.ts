import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { DomainError } from '../../incidents/errors';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { ACTIONS } from '../../slack/blocks/ids';
import { snoozedReminderMessage } from '../../slack/blocks/statusReport';
import { refuseIfRestricted } from '../common/restrictions';
import type { ButtonArgs } from '../types';
import { openStatusReportForm } from '../useCases/statusReport';
import { incidentOfButton } from './incidentButtons';

/** "Status report" on the pinned summary or in a reminder: opens the report form. */
async function statusReportButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await refuseIfRestricted(deps, incident, body.user.id, 'statusReport');
  await openStatusReportForm(deps, body.trigger_id, incident);
}

/** "Snooze 30 min / 1 h / 2 h" in a reminder: no reminder before then; the reminder says so in place. */
async function snoozeButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const [incidentId, minutes] = (action.value ?? '').split(':').map(Number);
  if (!Number.isInteger(incidentId) || !Number.isInteger(minutes)) {
    throw new DomainError('That button does not belong to a reminder any more.', 'bad_button');
  }
  const incident = await deps.reminders.snooze(incidentId, minutes);
  addToRequestContext({ incident: incident.name });
  const until = incident.reminderSnoozedUntil ?? deps.clock.now();
  await deps.gateway.respond(body.response_url, { ...snoozedReminderMessage(incident, until, minutes), replaceOriginal: true });
}

export function register(app: App, deps: Dependencies): void {
  app.action<BlockAction<ButtonAction>>({ action_id: ACTIONS.statusReport, type: 'block_actions' }, (args) =>
    statusReportButton(args, deps),
  );
  // One action id per snooze length (ids are unique within a block); the value carries incident and minutes.
  app.action<BlockAction<ButtonAction>>({ action_id: new RegExp(`^${ACTIONS.snoozeReminder}_\\d+$`), type: 'block_actions' }, (args) =>
    snoozeButton(args, deps),
  );
}
