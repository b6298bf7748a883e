import type { ListenerDependencies, ListenerRoutes, MessageShortcutListener } from '../types';
import { addFollowUpFromMessageShortcut } from './addFollowUpFromMessage';
import { addTaskFromMessageShortcut } from './addTaskFromMessage';
import { reportFromMessageShortcut } from './reportFromMessage';

/** Every message shortcut: one line each. The manifest is built from this list. */
export const SHORTCUT_LISTENERS: MessageShortcutListener[] = [
  reportFromMessageShortcut,
  addTaskFromMessageShortcut,
  addFollowUpFromMessageShortcut,
];

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  for (const listener of SHORTCUT_LISTENERS) {
    routes.shortcut({ callback_id: listener.callbackId, type: 'message_action' }, (args) => listener.handle(args, deps));
  }
}
