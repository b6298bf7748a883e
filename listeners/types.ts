import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { CommandName } from '../config';
import type { Dependencies } from '../server/dependencies';

export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
export type ViewSubmissionArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;
export type MessageShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

/** One slash command: its setting (the slug), what the manifest says about it, and its handler. */
export interface SlashCommandListener {
  setting: CommandName;
  description: string;
  usageHint?: string;
  handle(args: CommandArgs, deps: Dependencies): Promise<void>;
}

/** One message shortcut (the "..." menu on a message). */
export interface MessageShortcutListener {
  callbackId: string;
  /** What the menu shows (at most 24 characters). */
  name: string;
  description: string;
  handle(args: MessageShortcutArgs, deps: Dependencies): Promise<void>;
}

/** One Events API event type and the bot events the manifest must subscribe for it. */
export interface EventListenerModule {
  /** Bot events for the manifest, e.g. ["message.channels", "message.groups"] for "message". */
  subscriptions: string[];
  register(app: import('@slack/bolt').App, deps: Dependencies): void;
}
