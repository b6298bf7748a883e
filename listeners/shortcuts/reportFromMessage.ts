import { SHORTCUTS } from '../../slack/blocks/ids';
import type { MessageShortcutListener } from '../types';

/** "Report incident" on a message: the report form with the message's text and a link back to it. */
export const reportFromMessageShortcut: MessageShortcutListener = {
  callbackId: SHORTCUTS.reportIncident,
  name: 'Report incident',
  description: 'Report an incident about this message',
  async handle({ ack, shortcut }, deps) {
    await ack();
    await deps.flows.openReportFormFromMessage({
      triggerId: shortcut.trigger_id,
      channelId: shortcut.channel.id,
      message: { ts: shortcut.message.ts, text: shortcut.message.text, user: shortcut.message.user },
    });
  },
};
