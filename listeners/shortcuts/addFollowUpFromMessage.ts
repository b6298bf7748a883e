import { SHORTCUTS } from '../../slack/blocks/ids';
import { incidentShortcut } from '../incidentScope';

/** "Add follow-up" on a message in an incident channel: the follow-up form with the message's text; it links back. */
export const addFollowUpFromMessageShortcut = incidentShortcut({
  callbackId: SHORTCUTS.addFollowUp,
  name: 'Add follow-up',
  description: "Add this message to the incident's follow-ups",
  async handle({ shortcut }, deps, incident) {
    await deps.flows.openFollowUpForm({
      triggerId: shortcut.trigger_id,
      incident,
      source: { channelId: shortcut.channel.id, ts: shortcut.message.ts },
      description: shortcut.message.text ?? '',
    });
  },
});
