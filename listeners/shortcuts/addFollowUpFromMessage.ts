import { addToRequestContext } from '../../logging/context';
import { problemMessage } from '../../slack/blocks/feedback';
import { followUpModal } from '../../slack/blocks/followUps';
import { SHORTCUTS } from '../../slack/blocks/ids';
import type { MessageShortcutListener } from '../types';

/** "Add follow-up" on a message in an incident channel: the follow-up form with the message's text; it links back. */
export const addFollowUpFromMessageShortcut: MessageShortcutListener = {
  callbackId: SHORTCUTS.addFollowUp,
  name: 'Add follow-up',
  description: "Add this message to the incident's follow-ups",
  async handle({ ack, shortcut }, deps) {
    await ack();
    const incident = await deps.incidents.findByChannel(shortcut.channel.id);
    if (!incident) {
      await deps.gateway.respond(shortcut.response_url, problemMessage(`"Add follow-up" works on messages in an incident's channel.`));
      return;
    }
    addToRequestContext({ incident: incident.name });
    await deps.gateway.openView(
      shortcut.trigger_id,
      followUpModal(
        incident,
        { incidentId: incident.id, source: { channelId: shortcut.channel.id, ts: shortcut.message.ts } },
        {
          description: shortcut.message.text ?? '',
        },
      ),
    );
  },
};
