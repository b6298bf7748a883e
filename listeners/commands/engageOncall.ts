import { ONCALL_SETUP_HINT } from '../../oncall';
import { problemMessage } from '../../slack/blocks/feedback';
import { oncallNotConfiguredText } from '../../slack/blocks/oncall';
import { incidentCommand } from '../incidentScope';

/** /dispatch-engage-oncall: in an incident channel, opens the form to engage a service's on-call. */
export const engageOncallCommand = incidentCommand({
  setting: 'engageOncall',
  slug: { env: 'SLACK_COMMAND_ENGAGE_ONCALL', default: '/dispatch-engage-oncall', doc: 'Engages the on-call of a service.' },
  description: 'Engage whoever is on call for a service: invite them, DM them, page them',
  async handle({ command, ack }, deps, incident) {
    // Known without any call: answered in the ack itself.
    if (!deps.oncall) {
      deps.logger.info('on-call was asked for but no provider is configured', { setup: ONCALL_SETUP_HINT });
      await ack(problemMessage(oncallNotConfiguredText()));
      return;
    }
    if (incident.status === 'closed') {
      await ack(problemMessage(`${incident.name} is closed. Reopen it with ${deps.settings.commands.markActive} before engaging on-call.`));
      return;
    }
    await ack();
    await deps.flows.openEngageForm({
      incident,
      triggerId: command.trigger_id,
      reply: deps.flows.replyByResponseUrl(command.response_url),
    });
  },
});
