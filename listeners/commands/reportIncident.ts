import type { SlashCommandListener } from '../types';
import { openReportForm } from '../useCases/reportIncident';

/** /dispatch-report-incident [title]: works in any channel; opens the report form. */
export const reportIncidentCommand: SlashCommandListener = {
  setting: 'reportIncident',
  description: 'Report a new incident: opens a form, then creates its channel',
  usageHint: '[title]',
  async handle({ command, ack }, deps) {
    await ack();
    await openReportForm(deps, command.trigger_id, { title: command.text.trim() }, { originChannelId: command.channel_id });
  },
};
