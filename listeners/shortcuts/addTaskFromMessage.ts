import { addToRequestContext } from '../../logging/context';
import { problemMessage } from '../../slack/blocks/feedback';
import { SHORTCUTS } from '../../slack/blocks/ids';
import type { MessageShortcutListener } from '../types';
import { openTaskForm } from '../useCases/tasks';

/** "Add task" on a message in an incident channel: the task form with the message's text; the task links back to it. */
export const addTaskFromMessageShortcut: MessageShortcutListener = {
  callbackId: SHORTCUTS.addTask,
  name: 'Add task',
  description: "Add this message to the incident's tasks",
  async handle({ ack, shortcut }, deps) {
    await ack();
    const incident = await deps.incidents.findByChannel(shortcut.channel.id);
    if (!incident) {
      await deps.gateway.respond(
        shortcut.response_url,
        problemMessage(
          `"Add task" works on messages in an incident's channel. ${deps.settings.commands.reportIncident} reports a new incident.`,
        ),
      );
      return;
    }
    addToRequestContext({ incident: incident.name });
    const source = { channelId: shortcut.channel.id, ts: shortcut.message.ts };
    await openTaskForm(deps, shortcut.trigger_id, incident, { source }, { description: shortcut.message.text ?? '' });
  },
};
