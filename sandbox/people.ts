/**
 * What a person does in the workspace, and what Slack then tells the app: post a message,
 * run a slash command, click a button or pick an option, submit or close a modal, run a
 * message shortcut, react, join or leave a channel, open the app's Home. The page and the
 * demo both act through here.
 */
import type { AppLink } from './appLink';
import {
  answerViewSubmission,
  closeModal,
  type FakeChannel,
  type FakeView,
  modalStack,
  type SlackWorkspace,
  type SubmissionOutcome,
} from './workspace';

type Json = Record<string, unknown>;

/** Entered values as the page sends them: block_id -> action_id -> strings (or picked options). */
export type EnteredValues = Record<string, Record<string, string | string[] | Array<{ value: string; text: string }>>>;

export interface MessageContainer {
  kind: 'message';
  channel: string;
  ts: string;
  ephemeral?: boolean;
}
export interface ViewContainer {
  kind: 'view';
  viewId: string;
}
export type Container = MessageContainer | ViewContainer;

/** Something went wrong between the workspace and the app; the page shows it. */
export interface Notice {
  at: number;
  text: string;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Every interactive element of a list of blocks, with the block_id Slack would report. */
function elementsOf(blocks: unknown): Array<{ blockId: string; element: Json; inInput: boolean }> {
  const found: Array<{ blockId: string; element: Json; inInput: boolean }> = [];
  (Array.isArray(blocks) ? blocks : []).forEach((block: unknown, index) => {
    if (!isRecord(block)) return;
    const blockId = typeof block.block_id === 'string' && block.block_id !== '' ? block.block_id : `block-${index}`;
    if (isRecord(block.accessory)) found.push({ blockId, element: block.accessory, inInput: false });
    if (isRecord(block.element)) found.push({ blockId, element: block.element, inInput: block.type === 'input' });
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const element of block.elements) if (isRecord(element)) found.push({ blockId, element, inInput: false });
    }
  });
  return found;
}

function optionList(element: Json): Json[] {
  if (Array.isArray(element.option_groups))
    return element.option_groups.filter(isRecord).flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isRecord) : []));
  return Array.isArray(element.options) ? element.options.filter(isRecord) : [];
}

/** One element's entered value in Slack's state/action shape. */
function slackValue(element: Json, entered: unknown): Json {
  const type = str(element.type);
  const list = Array.isArray(entered) ? entered : entered === undefined || entered === '' ? [] : [entered];
  const strings = list.map((v) => (isRecord(v) ? str(v.value) : String(v))).filter((v) => v !== '');
  const option = (value: string): Json => {
    const known = optionList(element).find((o) => o.value === value);
    if (known) return known;
    const typed = list.find((v) => isRecord(v) && v.value === value);
    return { text: { type: 'plain_text', text: isRecord(typed) ? str(typed.text) : value }, value };
  };
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: strings[0] ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: strings[0] ? option(strings[0]) : null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: strings.map(option) };
    case 'users_select':
      return { type, selected_user: strings[0] ?? null };
    case 'multi_users_select':
      return { type, selected_users: strings };
    case 'conversations_select':
      return { type, selected_conversation: strings[0] ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: strings };
    case 'channels_select':
      return { type, selected_channel: strings[0] ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: strings };
    case 'datepicker':
      return { type, selected_date: strings[0] ?? null };
    case 'timepicker':
      return { type, selected_time: strings[0] ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: strings[0] ? Math.floor(Date.parse(strings[0]) / 1000) : null };
    case 'rich_text_input':
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: strings[0] ?? '' }] }],
        },
      };
    default:
      return { type, value: strings[0] ?? null };
  }
}

/** An element's initial_* value in the page's terms (strings, or picked options). */
function initialValue(element: Json): string | string[] | Array<{ value: string; text: string }> | undefined {
  const pick = (o: unknown) =>
    isRecord(o) ? { value: str(o.value), text: isRecord(o.text) ? str(o.text.text) : str(o.value) } : undefined;
  if (typeof element.initial_value === 'string') return element.initial_value;
  if (isRecord(element.initial_option)) return [pick(element.initial_option) as { value: string; text: string }];
  if (Array.isArray(element.initial_options))
    return element.initial_options.map(pick).filter((o): o is { value: string; text: string } => o !== undefined);
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel', 'initial_date', 'initial_time']) {
    if (typeof element[key] === 'string') return str(element[key]);
  }
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels']) {
    if (Array.isArray(element[key])) return (element[key] as unknown[]).map(String);
  }
  return undefined;
}

function isEmpty(value: Json): boolean {
  return Object.entries(value).every(([key, v]) => key === 'type' || v === null || (Array.isArray(v) && v.length === 0) || v === '');
}

export class People {
  readonly notices: Notice[] = [];

  constructor(
    readonly workspace: SlackWorkspace,
    readonly app: AppLink,
    private readonly timelineReaction: string,
  ) {}

  get timelineEmoji(): string {
    return this.timelineReaction;
  }

  private notice(text: string): void {
    this.notices.push({ at: Date.now(), text });
    if (this.notices.length > 20) this.notices.shift();
    this.workspace.changed({ kind: 'channels' });
  }

  private check(what: string, answer: { status: number; text: string }): void {
    if (answer.status !== 200)
      this.notice(`The app answered ${what} with ${answer.status === 0 ? `no answer (${answer.text})` : `HTTP ${answer.status}`}.`);
  }

  private userPayload(userId: string): Json {
    const user = this.workspace.users.get(userId);
    return { id: userId, username: user?.name ?? userId, name: user?.name ?? userId, team_id: this.workspace.teamId };
  }

  private team(): Json {
    return { id: this.workspace.teamId, domain: this.workspace.teamDomain };
  }

  private channelOf(id: string): FakeChannel {
    const channel = this.workspace.channels.get(id);
    if (!channel) throw new Error(`no channel ${id}`);
    return channel;
  }

  private channelType(channel: FakeChannel): string {
    return channel.is_im ? 'im' : channel.is_private ? 'group' : 'channel';
  }

  /** A person posts a message; the app gets a message event. */
  async postMessage(userId: string, channelId: string, typed: string): Promise<void> {
    const channel = this.channelOf(channelId);
    // Slack's client sends what a person types with &, < and > as entities, so it stays text.
    const text = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (!channel.members.has(userId) && !channel.is_im) throw new Error('Join the channel to post in it.');
    const message = this.workspace.addMessage({ channel: channelId, user: userId, text });
    const answer = await this.app.event({
      type: 'message',
      channel: channelId,
      user: userId,
      text,
      ts: message.ts,
      event_ts: message.ts,
      channel_type: this.channelType(channel),
      team: this.workspace.teamId,
      blocks: [{ type: 'rich_text', block_id: 'msg', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
    });
    this.check('a message event', answer);
  }

  /** A person runs a slash command; the app's immediate answer, if any, is shown to them. */
  async runCommand(userId: string, channelId: string, command: string, text: string): Promise<void> {
    const channel = this.channelOf(channelId);
    const responseUrl = this.workspace.responseUrl(undefined, { channel: channelId, user: userId });
    const answer = await this.app.command({
      channel_id: channelId,
      channel_name: channel.is_im ? 'directmessage' : channel.name,
      user_id: userId,
      user_name: this.workspace.users.get(userId)?.name ?? userId,
      command,
      text,
      response_url: responseUrl,
      trigger_id: this.workspace.issueTriggerId(userId),
    });
    if (answer.status !== 200) {
      this.workspace.ephemerals.push({
        channel: channelId,
        ts: this.workspace.nextTs(),
        user: userId,
        text: `${command} failed with the error "dispatch_failed"`,
      });
      this.workspace.changed({ kind: 'channel', channel: channelId });
      this.check(command, answer);
      return;
    }
    if (answer.json && (typeof answer.json.text === 'string' || Array.isArray(answer.json.blocks))) {
      await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer.json) });
    }
  }

  private findMessageElement(
    container: MessageContainer,
    userId: string,
    blockId: string,
    actionId: string,
  ): { message: Json; element: Json } {
    const source = container.ephemeral
      ? this.workspace.ephemerals.find((e) => e.ts === container.ts && e.user === userId)
      : this.workspace.messageAt(container.channel, container.ts);
    if (!source) throw new Error('That message is gone.');
    const found = elementsOf(source.blocks).find((e) => e.blockId === blockId && str(e.element.action_id) === actionId);
    if (!found) throw new Error('That button is no longer there.');
    const message: Json = {
      type: 'message',
      ts: source.ts,
      text: source.text ?? '',
      blocks: source.blocks ?? [],
      ...('user' in source && source.user ? { user: source.user } : {}),
      ...(source.user === this.workspace.botUserId ? { bot_id: this.workspace.botId, app_id: this.workspace.appId } : {}),
    };
    return { message, element: found.element };
  }

  /** The view's state as Slack sends it: every input's value, from what the page entered. */
  viewState(view: FakeView, entered: EnteredValues): Json {
    const values: Record<string, Record<string, Json>> = {};
    for (const { blockId, element, inInput } of elementsOf(view.view.blocks)) {
      const actionId = str(element.action_id);
      if (!actionId || (!inInput && entered[blockId]?.[actionId] === undefined)) continue;
      if (element.type === 'button' || element.type === 'overflow') continue;
      // What the page did not send keeps the element's initial value, as in Slack's view state.
      const value = entered[blockId]?.[actionId] ?? initialValue(element);
      values[blockId] = { ...(values[blockId] ?? {}), [actionId]: slackValue(element, value) };
    }
    return { values };
  }

  private viewPayload(view: FakeView, entered: EnteredValues): Json {
    const state = this.viewState(view, entered);
    view.view.state = state;
    return { ...view.view, state };
  }

  /** A click on a button, or a pick in a select, on a message, the Home tab or a modal. */
  async act(
    userId: string,
    container: Container,
    blockId: string,
    actionId: string,
    value: unknown,
    entered: EnteredValues = {},
  ): Promise<void> {
    const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
    const triggerId = this.workspace.issueTriggerId(userId);
    if (container.kind === 'message') {
      const { message, element } = this.findMessageElement(container, userId, blockId, actionId);
      const channel = this.channelOf(container.channel);
      const action = this.action(element, blockId, value, actionTs);
      const answer = await this.app.interact({
        type: 'block_actions',
        user: this.userPayload(userId),
        team: this.team(),
        container: { type: 'message', message_ts: container.ts, channel_id: container.channel, is_ephemeral: container.ephemeral === true },
        trigger_id: triggerId,
        channel: { id: channel.id, name: channel.is_im ? 'directmessage' : channel.name },
        message,
        state: { values: {} },
        response_url: this.workspace.responseUrl(undefined, {
          channel: container.channel,
          user: userId,
          messageTs: container.ts,
          ephemeral: container.ephemeral,
        }),
        actions: [action],
      });
      this.check('a button click', answer);
      return;
    }
    const view = this.workspace.views.get(container.viewId);
    if (!view) throw new Error('That view is gone.');
    const found = elementsOf(view.view.blocks).find((e) => e.blockId === blockId && str(e.element.action_id) === actionId);
    if (!found) throw new Error('That button is no longer there.');
    const payloadView = this.viewPayload(view, entered);
    const answer = await this.app.interact({
      type: 'block_actions',
      user: this.userPayload(userId),
      team: this.team(),
      container: { type: 'view', view_id: view.id },
      trigger_id: triggerId,
      view: payloadView,
      actions: [this.action(found.element, blockId, value, actionTs)],
    });
    this.check('a button click', answer);
  }

  private action(element: Json, blockId: string, value: unknown, actionTs: string): Json {
    const type = str(element.type);
    const base = { action_id: str(element.action_id), block_id: blockId, type, action_ts: actionTs };
    if (type === 'button') return { ...base, text: element.text, value: str(element.value) };
    if (type === 'overflow') {
      const option = optionList(element).find((o) => o.value === value);
      return { ...base, selected_option: option ?? { text: { type: 'plain_text', text: String(value) }, value: String(value) } };
    }
    const { type: _type, ...selection } = slackValue(element, value);
    return { ...base, ...selection };
  }

  /** A person submits the modal on top of their screen; Slack checks required fields first. */
  async submit(userId: string, viewId: string, entered: EnteredValues): Promise<SubmissionOutcome> {
    const view = this.workspace.views.get(viewId);
    if (!view) throw new Error('That modal is gone.');
    const missing: Record<string, string> = {};
    const state = this.viewState(view, entered);
    for (const block of Array.isArray(view.view.blocks) ? view.view.blocks : []) {
      if (!isRecord(block) || block.type !== 'input' || block.optional === true) continue;
      const blockId = str(block.block_id);
      const element = isRecord(block.element) ? block.element : {};
      const value = (state.values as Record<string, Record<string, Json>>)[blockId]?.[str(element.action_id)];
      if (!value || isEmpty(value)) missing[blockId] = 'Please complete this required field.';
    }
    if (Object.keys(missing).length > 0) {
      view.errors = missing;
      view.view.state = state;
      this.workspace.changed({ kind: 'view', user: userId, viewId });
      return { kind: 'errors', errors: missing };
    }
    const answer = await this.app.interact({
      type: 'view_submission',
      team: this.team(),
      user: this.userPayload(userId),
      view: this.viewPayload(view, entered),
      trigger_id: this.workspace.issueTriggerId(userId),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
    if (answer.status !== 200) {
      this.check('a form submission', answer);
      view.errors = { '': 'We had some trouble connecting. Try again?' };
      this.workspace.changed({ kind: 'view', user: userId, viewId });
      return { kind: 'errors', errors: view.errors };
    }
    const outcome = answerViewSubmission(this.workspace, userId, viewId, answer.json ?? {});
    if (outcome.kind === 'invalid') this.notice(`Slack refused the view the app answered with: ${outcome.messages.join('; ')}`);
    return outcome;
  }

  /** A person closes the top modal; the app hears of it when the view asked (notify_on_close). */
  async close(userId: string, viewId: string): Promise<void> {
    const view = this.workspace.views.get(viewId);
    closeModal(this.workspace, userId);
    if (view?.view.notify_on_close === true) {
      const answer = await this.app.interact({
        type: 'view_closed',
        team: this.team(),
        user: this.userPayload(userId),
        view: view.view,
        is_cleared: false,
      });
      this.check('a closed modal', answer);
    }
  }

  /** A message shortcut ("More actions") on a message. */
  async shortcut(userId: string, channelId: string, ts: string, callbackId: string): Promise<void> {
    const channel = this.channelOf(channelId);
    const message = this.workspace.messageAt(channelId, ts);
    if (!message) throw new Error('That message is gone.');
    const answer = await this.app.interact({
      type: 'message_action',
      callback_id: callbackId,
      trigger_id: this.workspace.issueTriggerId(userId),
      response_url: this.workspace.responseUrl(undefined, { channel: channelId, user: userId }),
      team: this.team(),
      channel: { id: channel.id, name: channel.name },
      user: this.userPayload(userId),
      message_ts: ts,
      message: this.workspace.slackMessage(message),
      action_ts: `${(Date.now() / 1000).toFixed(6)}`,
    });
    this.check('a message shortcut', answer);
  }

  async react(userId: string, channelId: string, ts: string, name: string): Promise<void> {
    const message = this.workspace.messageAt(channelId, ts);
    if (!message) throw new Error('That message is gone.');
    const key = `${channelId}/${ts}`;
    const byName = this.workspace.reactions.get(key) ?? new Map<string, Set<string>>();
    const users = byName.get(name) ?? new Set<string>();
    if (users.has(userId)) return;
    users.add(userId);
    byName.set(name, users);
    this.workspace.reactions.set(key, byName);
    this.workspace.changed({ kind: 'channel', channel: channelId });
    const answer = await this.app.event({
      type: 'reaction_added',
      user: userId,
      reaction: name,
      item: { type: 'message', channel: channelId, ts },
      item_user: message.user ?? this.workspace.botUserId,
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
    });
    this.check('a reaction', answer);
  }

  async join(userId: string, channelId: string): Promise<void> {
    const channel = this.channelOf(channelId);
    if (channel.members.has(userId)) return;
    if (channel.is_private) throw new Error('Private channels are joined by invitation.');
    channel.members.add(userId);
    this.workspace.changed({ kind: 'channels' });
    await this.memberEvent(userId, channel, true);
  }

  async leave(userId: string, channelId: string): Promise<void> {
    const channel = this.channelOf(channelId);
    if (!channel.members.delete(userId)) return;
    this.workspace.changed({ kind: 'channels' });
    await this.memberEvent(userId, channel, false);
  }

  /** member_joined_channel / member_left_channel, as Slack sends them (also after an app's invite). */
  async memberEvent(userId: string, channel: FakeChannel, joined: boolean, inviter?: string): Promise<void> {
    const answer = await this.app.event({
      type: joined ? 'member_joined_channel' : 'member_left_channel',
      user: userId,
      channel: channel.id,
      channel_type: channel.is_private ? 'G' : 'C',
      team: this.workspace.teamId,
      ...(inviter ? { inviter } : {}),
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
    });
    this.check(joined ? 'a member joining' : 'a member leaving', answer);
  }

  async openHome(userId: string): Promise<void> {
    const dm = this.workspace.imFor(userId).channel;
    const homeId = this.workspace.homeViews.get(userId);
    const view = homeId ? this.workspace.views.get(homeId) : undefined;
    const answer = await this.app.event({
      type: 'app_home_opened',
      user: userId,
      channel: dm.id,
      tab: 'home',
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
      ...(view ? { view: view.view } : {}),
    });
    this.check('opening Home', answer);
  }

  /** Options for an external select, from the app's options load URL. */
  async loadOptions(userId: string, viewId: string, blockId: string, actionId: string, typed: string): Promise<Json[]> {
    const view = this.workspace.views.get(viewId);
    if (!view) return [];
    const answer = await this.app.options({
      type: 'block_suggestion',
      user: this.userPayload(userId),
      team: this.team(),
      container: { type: 'view', view_id: viewId },
      action_id: actionId,
      block_id: blockId,
      value: typed,
      view: view.view,
    });
    this.check('an options request', answer);
    const body = answer.json ?? {};
    if (Array.isArray(body.options)) return body.options.filter(isRecord);
    if (Array.isArray(body.option_groups))
      return body.option_groups.filter(isRecord).flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isRecord) : []));
    return [];
  }

  /** The modals open on a person's screen. */
  modals(userId: string): FakeView[] {
    return modalStack(this.workspace, userId);
  }
}
