import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BlockAction,
  ButtonAction,
  EnvelopedEvent,
  MessageShortcut,
  SlashCommand,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import type {
  AppHomeOpenedEvent,
  GenericMessageEvent,
  MemberJoinedChannelEvent,
  MemberLeftChannelEvent,
  ReactionAddedEvent,
} from '@slack/types';

/**
 * Typed factories for Slack payloads, shaped on Slack's own samples (tests/fixtures/slack/payloads,
 * copied from shared/slack so a clone of the repository runs its tests on its own).
 * A payload that drifts from Slack's shape (as @slack/bolt types it) fails to compile.
 */
export const SLACK_FIXTURES_DIR = join(__dirname, '../fixtures/slack');
export const PAYLOADS_DIR = join(SLACK_FIXTURES_DIR, 'payloads');

export function readSample(file: string): string {
  return readFileSync(join(PAYLOADS_DIR, file), 'utf8');
}

const TEAM = { id: 'T0TEAM0001', domain: 'acme' };
const APP_ID = 'A0APPTEST1';
let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(counter++).toString(36).toUpperCase()}`;

/** Slack's slash command sample (slash_command.form) with our values. */
export function slashCommand(overrides: Partial<SlashCommand> & Pick<SlashCommand, 'command'>): SlashCommand {
  const sample = Object.fromEntries(new URLSearchParams(readSample('slash_command.form')));
  return {
    token: sample.token,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: 'C0GENERAL1',
    channel_name: 'general',
    user_id: 'U0REPORTER',
    user_name: 'reporter',
    text: '',
    response_url: sample.response_url,
    trigger_id: sample.trigger_id,
    api_app_id: APP_ID,
    ...overrides,
  };
}

/** The Events API envelope (event_callback), as in Slack's samples. */
export function envelope<E>(event: E, overrides: Partial<EnvelopedEvent<E>> = {}): EnvelopedEvent<E> {
  return {
    token: 'XXYYZZ',
    team_id: TEAM.id,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: nextId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'U0BOTUSER', is_bot: true, is_enterprise_install: false, enterprise_id: null }],
    ...overrides,
  };
}

export const eventTs = (): string => `${Math.floor(Date.now() / 1000)}.${String(counter++).padStart(6, '0')}`;

export function memberJoined(user: string, channel: string, inviter?: string): MemberJoinedChannelEvent {
  return { type: 'member_joined_channel', user, channel, channel_type: 'G', team: TEAM.id, inviter, event_ts: eventTs() };
}

export function memberLeft(user: string, channel: string): MemberLeftChannelEvent {
  return { type: 'member_left_channel', user, channel, channel_type: 'G', team: TEAM.id, event_ts: eventTs() };
}

export function channelMessage(user: string, channel: string, text: string, ts = eventTs()): GenericMessageEvent {
  return { type: 'message', subtype: undefined, channel, user, text, ts, event_ts: ts, channel_type: 'group' };
}

export function reactionAdded(user: string, reaction: string, channel: string, ts: string, itemUser = 'U0AUTHOR01'): ReactionAddedEvent {
  return { type: 'reaction_added', user, reaction, item_user: itemUser, item: { type: 'message', channel, ts }, event_ts: eventTs() };
}

export function appHomeOpened(user: string): AppHomeOpenedEvent {
  return { type: 'app_home_opened', user, channel: 'D0HOME0001', tab: 'home', event_ts: eventTs() };
}

export interface ButtonClick {
  actionId: string;
  value?: string;
  blockId?: string;
  userId: string;
  channelId?: string;
  messageTs?: string;
  triggerId: string;
  responseUrl: string;
  view?: ViewOutput;
}

/** A button click (block_actions), shaped on block_actions_message.json / block_actions_home_tab.json. */
export function buttonClick(click: ButtonClick): BlockAction<ButtonAction> {
  const action: ButtonAction = {
    type: 'button',
    action_id: click.actionId,
    block_id: click.blockId ?? 'actions',
    value: click.value,
    text: { type: 'plain_text', text: click.actionId, emoji: true },
    action_ts: eventTs(),
  };
  return {
    type: 'block_actions',
    team: TEAM,
    user: { id: click.userId, username: click.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: APP_ID,
    token: '9s8d9as89d8as9d8as989',
    container: click.view
      ? { type: 'view', view_id: click.view.id }
      : { type: 'message', message_ts: click.messageTs ?? eventTs(), channel_id: click.channelId, is_ephemeral: false },
    trigger_id: click.triggerId,
    channel: click.channelId ? { id: click.channelId, name: 'incident' } : undefined,
    message: click.messageTs ? { type: 'message', ts: click.messageTs, text: '' } : undefined,
    view: click.view,
    response_url: click.responseUrl,
    actions: [action],
  };
}

export interface ShortcutUse {
  callbackId: string;
  userId: string;
  channelId: string;
  message: { ts: string; text: string; user: string };
  triggerId: string;
  responseUrl: string;
}

export function messageShortcut(use: ShortcutUse): MessageShortcut {
  return {
    type: 'message_action',
    callback_id: use.callbackId,
    trigger_id: use.triggerId,
    message_ts: use.message.ts,
    response_url: use.responseUrl,
    message: { type: 'message', ...use.message },
    user: { id: use.userId, name: use.userId.toLowerCase(), team_id: TEAM.id },
    channel: { id: use.channelId, name: 'general' },
    team: TEAM,
    token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
    action_ts: eventTs(),
  };
}

/** What a person types or picks, per block id: text, option value(s), user id(s). */
export type Answers = Record<string, string | string[] | null | undefined>;

interface BlockLike {
  type?: string;
  block_id?: string;
  element?: {
    type?: string;
    action_id?: string;
    options?: Array<{ value?: string; text?: { text?: string } }>;
    initial_value?: string;
    initial_option?: { value?: string };
    initial_options?: Array<{ value?: string }>;
    initial_user?: string;
    initial_users?: string[];
  };
}

function initialAnswer(element: NonNullable<BlockLike['element']>): string | string[] | undefined {
  if (element.initial_value !== undefined) return element.initial_value;
  if (element.initial_option?.value !== undefined) return element.initial_option.value;
  if (element.initial_options) return element.initial_options.map((option) => option.value ?? '');
  if (element.initial_user !== undefined) return element.initial_user;
  return element.initial_users;
}

/** The state Slack would send for a modal the app opened, filled in the way a person would. */
export function fillView(view: Record<string, unknown>, answers: Answers): ViewOutput['state'] {
  const values: ViewOutput['state']['values'] = {};
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []) as BlockLike[];
  for (const block of blocks) {
    const element = block.element;
    const actionId = element?.action_id;
    if (block.type !== 'input' || !block.block_id || !element || !actionId) continue;
    // Like Slack: a field the person leaves alone submits its initial value.
    const answer = block.block_id in answers ? answers[block.block_id] : initialAnswer(element);
    const state: ViewStateValue = { type: element.type ?? 'plain_text_input' };
    const option = (value: string) => {
      const found = element.options?.find((candidate) => candidate.value === value);
      return { value, text: { type: 'plain_text' as const, text: found?.text?.text ?? value } };
    };
    switch (element.type) {
      case 'plain_text_input':
      case 'url_text_input':
      case 'email_text_input':
        state.value = typeof answer === 'string' ? answer : null;
        break;
      case 'static_select':
      case 'external_select':
      case 'radio_buttons':
        state.selected_option = typeof answer === 'string' ? option(answer) : null;
        break;
      case 'checkboxes':
      case 'multi_static_select':
        state.selected_options = Array.isArray(answer) ? answer.map(option) : typeof answer === 'string' ? [option(answer)] : [];
        break;
      case 'users_select':
        state.selected_user = typeof answer === 'string' ? answer : null;
        break;
      case 'multi_users_select':
        state.selected_users = Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : [];
        break;
      case 'datepicker':
        state.selected_date = typeof answer === 'string' ? answer : null;
        break;
      case 'conversations_select':
        state.selected_conversation = typeof answer === 'string' ? answer : null;
        break;
      default:
        state.value = typeof answer === 'string' ? answer : null;
    }
    values[block.block_id] = { [actionId]: state };
  }
  return { values };
}

/** A view_submission for a modal the app opened (the `view` argument it gave views.open). */
export function viewSubmission(view: Record<string, unknown>, answers: Answers, userId: string): ViewSubmitAction {
  const title = (view.title ?? { type: 'plain_text', text: 'Modal' }) as ViewOutput['title'];
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: userId, name: userId.toLowerCase(), team_id: TEAM.id },
    view: {
      id: typeof view.id === 'string' ? view.id : nextId('V'),
      callback_id: String(view.callback_id ?? ''),
      team_id: TEAM.id,
      app_id: APP_ID,
      bot_id: 'B0BOT00001',
      title,
      type: 'modal',
      blocks: [],
      close: null,
      submit: null,
      state: fillView(view, answers),
      hash: '156663117.cd33ad1f',
      private_metadata: String(view.private_metadata ?? ''),
      root_view_id: null,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
    api_app_id: APP_ID,
    token: 'XXYYZZ',
    trigger_id: nextId('trigger.'),
  };
}
