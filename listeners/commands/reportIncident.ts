import type { SlashCommandListener } from '../types';

/** /dispatch-report-incident [title]: works in any channel; opens the report form. */
export const reportIncidentCommand: SlashCommandListener = {
  setting: 'reportIncident',
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
