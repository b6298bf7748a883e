import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
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

export type OptionsArgs = AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>;
/**
 * An Events API listener runs on a stored event, after Slack was answered: it gets the event and
 * its envelope, nothing to ack or say with (its side effects happen in flows, through the gateway).
 */
export type EventArgs<EventType extends string> = Pick<SlackEventMiddlewareArgs<EventType>, 'event' | 'payload' | 'body'>;

export type ListenerHandler<Args> = (args: Args) => Promise<void>;

/**
 * What a listener module registers with: Bolt's own listener methods, narrowed to the
 * constraints this app uses (an exact command, action id, callback id, block id or event type;
 * a pattern only for action ids that carry a number).
 */
export interface ListenerRoutes {
  command(slug: string, handler: ListenerHandler<CommandArgs>): void;
  action(constraint: { action_id: string | RegExp; type: 'block_actions' }, handler: ListenerHandler<ButtonArgs>): void;
  view(constraint: { callback_id: string; type: 'view_submission' }, handler: ListenerHandler<ViewSubmissionArgs>): void;
  shortcut(constraint: { callback_id: string; type: 'message_action' }, handler: ListenerHandler<MessageShortcutArgs>): void;
  options(constraint: { type: 'block_suggestion'; block_id: string }, handler: ListenerHandler<OptionsArgs>): void;
  event<EventType extends string>(type: EventType, handler: ListenerHandler<EventArgs<EventType>>): void;
}

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
  register(routes: ListenerRoutes, deps: ListenerDependencies): void;
}

/** A module of buttons, menus or modal submissions: wires its ids to handlers. */
export interface ListenerModule {
  register(routes: ListenerRoutes, deps: ListenerDependencies): void;
}
