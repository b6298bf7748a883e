import { SHORTCUTS } from '../../slack/blocks/ids';
import { incidentShortcut } from '../incidentScope';

/** "Add task" on a message in an incident channel: the task form with the message's text; the task links back to it. */
export const addTaskFromMessageShortcut = incidentShortcut({
  callbackId: SHORTCUTS.addTask,
  name: 'Add task',
  description: "Add this message to the incident's tasks",
  async handle({ shortcut }, deps, incident) {
    await deps.flows.openTaskForm({
      triggerId: shortcut.trigger_id,
      incident,
      metadata: { source: { channelId: shortcut.channel.id, ts: shortcut.message.ts } },
      prefill: { description: shortcut.message.text ?? '' },
    });
  },
});
