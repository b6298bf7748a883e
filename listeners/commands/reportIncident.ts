import type { SlashCommandListener } from '../types';

/** /dispatch-report-incident [title]: works in any channel; opens the report form. */
export const reportIncidentCommand: SlashCommandListener = {
  setting: 'reportIncident',
  slug: {
    env: 'SLACK_COMMAND_REPORT_INCIDENT_SLUG',
    default: '/dispatch-report-incident',
    doc: 'Reports a new incident (ours: a standalone app must create incidents).',
  },
  details: 'Works in any channel; also "Report incident" on a message\'s menu.',
  description: 'Report a new incident: opens a form, then creates its channel',
  usageHint: '[title]',
  async handle({ command, ack }, deps) {
    await ack();
    await deps.flows.openReportForm({
      triggerId: command.trigger_id,
      prefill: { title: command.text.trim() },
      metadata: { originChannelId: command.channel_id },
    });
  },
};
