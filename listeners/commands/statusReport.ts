import { incidentCommand } from '../incidentScope';

/** /dispatch-status-report: the Conditions / Actions / Needs form, prefilled from the last report. */
export const statusReportCommand = incidentCommand({
  setting: 'statusReport',
  slug: { env: 'SLACK_COMMAND_STATUS_REPORT_SLUG', default: '/dispatch-status-report', doc: 'Posts a status report.' },
  description: 'Post a status report (conditions, actions, needs) in this incident',
  async handle({ command, ack }, deps, incident) {
    await ack();
    await deps.flows.openStatusReportForm({ triggerId: command.trigger_id, incident });
  },
});
