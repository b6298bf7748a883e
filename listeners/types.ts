import type {
  AllMiddlewareArgs,
  App,
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
import type { FlowDependencies, Flows } from '../flows';

export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
export type ViewSubmissionArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;
export type MessageShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

/**
 * What listeners are given: settings, the flows, and the domain services they read to check a
 * form or find the incident. No store and no gateway: side effects happen inside flows.
 */
export type ListenerDependencies = Pick<
  FlowDependencies,
  | 'settings'
  | 'logger'
  | 'links'
  | 'botUserId'
  | 'incidents'
  | 'participants'
  | 'reports'
  | 'tasks'
  | 'resources'
  | 'oncall'
  | 'followUps'
  | 'feedback'
> & { flows: Flows };

/**
 * The setting that holds a command's slug, declared with the command: `npm run generate` writes
 * config/commandSettings.ts (the schema's command settings), manifest.yml and the README's
 * command tables from the registry of these.
 */
export interface SlugSetting {
  /** The environment variable, spelled as on Dispatch's page (the other spelling, with or without _SLUG, is accepted too). */
  env: string;
  /** The slug when the setting is not set. */
  default: string;
  /** What the setting is, for the schema and the README's settings table. */
  doc: string;
}

/** One slash command: its setting (the slug), what the manifest and README say about it, and its handler. */
export interface SlashCommandListener {
  setting: CommandName;
  slug: SlugSetting;
  /** One line for the manifest and the README's command list. */
  description: string;
  usageHint?: string;
  /** More for the README's command list (where it works, another way to reach it). */
  details?: string;
  handle(args: CommandArgs, deps: ListenerDependencies): Promise<void>;
}

/** One message shortcut (the "..." menu on a message). */
export interface MessageShortcutListener {
  callbackId: string;
  /** What the menu shows (at most 24 characters). */
  name: string;
  description: string;
  handle(args: MessageShortcutArgs, deps: ListenerDependencies): Promise<void>;
}

/** One Events API event type and the bot events the manifest must subscribe for it. */
export interface EventListenerModule {
  /** Bot events for the manifest, e.g. ["message.channels", "message.groups"] for "message". */
  subscriptions: string[];
  register(app: App, deps: ListenerDependencies): void;
}

/** A module of buttons, menus or modal submissions: wires its ids to handlers. */
export interface ListenerModule {
  register(app: App, deps: ListenerDependencies): void;
}
