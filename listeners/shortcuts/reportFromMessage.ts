import { SHORTCUTS } from '../../slack/blocks/ids';
import type { MessageShortcutListener } from '../types';

/** "Report incident" on a message: the report form with the message's text and a link back to it. */
export const reportFromMessageShortcut: MessageShortcutListener = {
  callbackId: SHORTCUTS.reportIncident,
  name: 'Report incident',
  description: 'Report an incident about this message',
  async handle({ ack, shortcut }, deps) {
    await ack();
    const text = shortcut.message.text ?? '';
    const permalink = deps.links.message(shortcut.channel.id, shortcut.message.ts);
    const author = shortcut.message.user ? ` (posted by <@${shortcut.message.user}>)` : '';
    const description = `${text}\n\nReported from a message${author}: ${permalink}`.trim();
    const title = text.split('\n')[0]?.slice(0, 150) ?? '';
    await deps.flows.openReportForm({
      triggerId: shortcut.trigger_id,
      prefill: { title, description },
      metadata: { originChannelId: shortcut.channel.id },
    });
  },
};
