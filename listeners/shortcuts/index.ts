import type { App } from '@slack/bolt';
import type { ListenerDependencies, MessageShortcutListener } from '../types';
import { addFollowUpFromMessageShortcut } from './addFollowUpFromMessage';
import { addTaskFromMessageShortcut } from './addTaskFromMessage';
import { reportFromMessageShortcut } from './reportFromMessage';

/** Every message shortcut: one line each. The manifest is built from this list. */
export const SHORTCUT_LISTENERS: MessageShortcutListener[] = [
  reportFromMessageShortcut,
  addTaskFromMessageShortcut,
  addFollowUpFromMessageShortcut,
];

export function register(app: App, deps: ListenerDependencies): void {
  for (const listener of SHORTCUT_LISTENERS) {
    app.shortcut({ callback_id: listener.callbackId, type: 'message_action' }, (args) => listener.handle(args, deps));
  }
}
