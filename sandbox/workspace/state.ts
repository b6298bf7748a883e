/**
 * The workspace's data (people, channels, messages, views, bookmarks, reactions) and the
 * lookups every method family shares, with Slack's errors for what is missing or not allowed.
 * The method families (conversations.ts, chat.ts...) and the HTTP server build on this.
 */
import { randomBytes } from 'node:crypto';
import { type Args, argString, fail, type Payload, pad, tsKey } from './args';
import type {
  FakeBookmark,
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  FakeView,
  WorkspaceChange,
  WorkspaceOptions,
} from './types';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_NAME = /^[a-z0-9_-]+$/;
const MAX_CHANNEL_NAME = 80;
export const TRIGGER_TTL_MS = 3000;

export interface WorkspaceSnapshot {
  counters: { id: number; ts: number; tsSeconds: number };
  users: FakeUser[];
  channels: Array<Omit<FakeChannel, 'members'> & { members: string[] }>;
  messages: FakeMessage[];
  bookmarks: FakeBookmark[];
  views: FakeView[];
  homeViews: Array<[string, string]>;
  imByUser: Array<[string, string]>;
  reactions: Array<[string, Array<[string, string[]]>]>;
}

export type Handler = (args: Args) => Payload;
export type MethodTable = Map<string, Handler>;

export function channelNameError(name: string): string | undefined {
  if (name === '') return 'invalid_name_required';
  if (name.length > MAX_CHANNEL_NAME) return 'invalid_name_maxlength';
  if (!CHANNEL_NAME.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

export class WorkspaceState {
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly teamId: string;
  readonly teamDomain: string;

  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** Messages posted with chat.postMessage or addMessage. */
  readonly messages: FakeMessage[] = [];
  /** Messages only one person sees (chat.postEphemeral and ephemeral response_url answers). */
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, FakeView>();
  readonly bookmarks: FakeBookmark[] = [];
  readonly files: FakeFile[] = [];

  protected readonly now: () => number;
  protected readonly strictUsers: boolean;
  private idCounter = 0;
  private tsCounter = 0;
  private lastTsSeconds = 0;
  readonly imByUser = new Map<string, string>();
  readonly mpims = new Set<string>();
  readonly creators = new Map<string, string>();
  /** channel/ts -> emoji name -> who reacted. */
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  readonly triggers = new Map<string, { issuedAt: number; used: boolean; user?: string }>();
  /** user -> the id of their Home tab view. */
  readonly homeViews = new Map<string, string>();
  /** user ('' when the trigger named nobody) -> the modals open on their screen, bottom first. */
  readonly modalStacks = new Map<string, string[]>();
  private readonly changeListeners = new Set<(change: WorkspaceChange) => void>();

  constructor(options: WorkspaceOptions) {
    this.botUserId = options.botUserId ?? 'UBOT000001';
    this.botId = options.botId ?? 'BBOT000001';
    this.appId = options.appId ?? 'A0APPTEST1';
    this.teamId = options.teamId ?? 'T0TEAM0001';
    this.teamDomain = options.teamDomain ?? 'acme';
    this.strictUsers = options.strictUsers ?? false;
    this.now = options.now ?? Date.now;
    this.addBotUser();
  }

  /** Back to the state right after start: only the bot user. */
  protected clearState(): void {
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.bookmarks.length = 0;
    this.files.length = 0;
    this.users.clear();
    this.channels.clear();
    this.views.clear();
    this.imByUser.clear();
    this.mpims.clear();
    this.creators.clear();
    this.reactions.clear();
    this.triggers.clear();
    this.homeViews.clear();
    this.modalStacks.clear();
    this.addBotUser();
  }

  /** Calls `listener` after every change a page would show; returns the unsubscribe. */
  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(change: WorkspaceChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  // ----- setup ----------------------------------------------------------------------------

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(channel: Partial<FakeChannel> & { name: string }): FakeChannel {
    const isPrivate = channel.is_private ?? false;
    const isIm = channel.is_im ?? false;
    const prefix = isIm ? 'D' : isPrivate ? 'G' : 'C';
    const created: FakeChannel = {
      id: channel.id ?? this.newId(prefix),
      name: channel.name,
      is_private: isPrivate,
      is_im: isIm,
      is_archived: channel.is_archived ?? false,
      members: new Set(channel.members ?? [this.botUserId]),
      topic: channel.topic ?? '',
      purpose: channel.purpose ?? '',
      created: channel.created ?? this.nowSeconds(),
    };
    if (this.channels.has(created.id)) throw new Error(`addChannel: channel ${created.id} already exists`);
    this.channels.set(created.id, created);
    if (isIm) {
      const other = [...created.members].find((m) => m !== this.botUserId);
      if (other) this.imByUser.set(other, created.id);
    }
    this.changed({ kind: 'channels' });
    return created;
  }

  /** Adds a message as if a person (or another app) had posted it. */
  addMessage(msg: Partial<FakeMessage> & { channel: string; text?: string; user: string }): FakeMessage {
    if (!this.channels.has(msg.channel)) {
      throw new Error(`addMessage: unknown channel ${msg.channel}; addChannel it first`);
    }
    const message: FakeMessage = {
      ...msg,
      ts: msg.ts ?? this.nextTs(),
      pinned: msg.pinned ?? false,
      updates: msg.updates ?? 0,
      deleted: msg.deleted ?? false,
    };
    this.messages.push(message);
    this.changed({ kind: 'channel', channel: message.channel });
    return message;
  }

  /**
   * A trigger_id as Slack puts in a command or interaction payload: usable once, for 3 s.
   * `user` says whose screen a modal opened with it appears on.
   */
  issueTriggerId(user?: string): string {
    const id = `${1_000_000_000 + this.nextId()}.${this.teamId.replace(/\D/g, '') || '1'}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false, ...(user ? { user } : {}) });
    return id;
  }

  // ----- inspection ------------------------------------------------------------------------

  messageAt(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.deleted).sort((a, b) => tsKey(a.ts) - tsKey(b.ts));
  }

  /** Who reacted with what to a message, in the order the reactions were first added. */
  reactionsTo(channel: string, ts: string): Array<{ name: string; users: string[] }> {
    const byName = this.reactions.get(`${channel}/${ts}`);
    return byName ? [...byName].filter(([, users]) => users.size > 0).map(([name, users]) => ({ name, users: [...users] })) : [];
  }

  // ----- saving between runs ---------------------------------------------------------------

  /** Everything a later run needs to carry on (the sandbox keeps it beside its database). */
  snapshot(): WorkspaceSnapshot {
    return {
      counters: { id: this.idCounter, ts: this.tsCounter, tsSeconds: this.lastTsSeconds },
      users: [...this.users.values()],
      channels: [...this.channels.values()].map((c) => ({ ...c, members: [...c.members] })),
      messages: this.messages,
      bookmarks: this.bookmarks,
      views: [...this.views.values()].filter((v) => v.type === 'home'),
      homeViews: [...this.homeViews],
      imByUser: [...this.imByUser],
      reactions: [...this.reactions].map(([key, byName]) => [key, [...byName].map(([name, users]) => [name, [...users]])]),
    };
  }

  restore(saved: WorkspaceSnapshot): void {
    this.clearState();
    this.idCounter = saved.counters.id;
    this.tsCounter = saved.counters.ts;
    this.lastTsSeconds = saved.counters.tsSeconds;
    for (const user of saved.users) this.users.set(user.id, user);
    for (const channel of saved.channels) this.channels.set(channel.id, { ...channel, members: new Set(channel.members) });
    this.messages.push(...saved.messages);
    this.bookmarks.push(...saved.bookmarks);
    for (const view of saved.views) this.views.set(view.id, view);
    for (const [user, id] of saved.homeViews) this.homeViews.set(user, id);
    for (const [user, id] of saved.imByUser) this.imByUser.set(user, id);
    for (const [key, byName] of saved.reactions) this.reactions.set(key, new Map(byName.map(([name, users]) => [name, new Set(users)])));
    this.changed({ kind: 'channels' });
  }

  // ----- shared helpers -------------------------------------------------------------------

  private addBotUser(): void {
    this.users.set(this.botUserId, { id: this.botUserId, name: 'dispatch', real_name: 'Dispatch', is_bot: true, deleted: false });
  }

  nextId(): number {
    this.idCounter += 1;
    return this.idCounter;
  }

  newId(prefix: string): string {
    return `${prefix}0F${pad(this.nextId(), 8)}`;
  }

  nowMs(): number {
    return this.now();
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Unique, increasing, Slack-shaped: seconds, a dot, six digits. */
  nextTs(): string {
    this.lastTsSeconds = Math.max(this.lastTsSeconds, this.nowSeconds());
    this.tsCounter = (this.tsCounter + 1) % 1_000_000;
    if (this.tsCounter === 0) {
      this.lastTsSeconds += 1; // counter wrapped: move to the next second to stay increasing
      this.tsCounter = 1;
    }
    return `${this.lastTsSeconds}.${pad(this.tsCounter, 6)}`;
  }

  isUser(id: string): boolean {
    return this.users.has(id) || (!this.strictUsers && USER_ID.test(id));
  }

  userRecord(id: string): FakeUser {
    const known = this.users.get(id);
    if (known) return known;
    if (!this.isUser(id)) fail('user_not_found');
    // Lenient mode: a user the test never declared still exists, with a name derived from the id.
    return { id, name: id.toLowerCase() };
  }

  /** Looks up a channel id (or a user id, meaning the DM with that user). */
  channel(args: Args, key = 'channel'): FakeChannel {
    const id = argString(args, key);
    if (!id) fail('channel_not_found');
    const found = this.channels.get(id);
    if (found) return found;
    if (USER_ID.test(id) && this.isUser(id)) return this.imFor(id).channel;
    // chat.postMessage also accepts a channel name.
    const name = id.replace(/^#/, '');
    const byName = [...this.channels.values()].find((c) => !c.is_im && c.name === name);
    if (byName) return byName;
    fail('channel_not_found');
  }

  imFor(userId: string): { channel: FakeChannel; existed: boolean } {
    const existing = this.imByUser.get(userId);
    const channel = existing ? this.channels.get(existing) : undefined;
    if (channel) return { channel, existed: true };
    const im: FakeChannel = {
      id: this.newId('D'),
      name: userId,
      is_private: true,
      is_im: true,
      is_archived: false,
      members: new Set([this.botUserId, userId]),
      topic: '',
      purpose: '',
      created: this.nowSeconds(),
    };
    this.channels.set(im.id, im);
    this.imByUser.set(userId, im.id);
    this.changed({ kind: 'channels' });
    return { channel: im, existed: false };
  }

  requireWritable(channel: FakeChannel): void {
    if (channel.is_archived) fail('is_archived');
    if (!channel.is_im && !channel.members.has(this.botUserId)) fail('not_in_channel');
  }

  requireConversation(channel: FakeChannel): void {
    if (channel.is_im || this.mpims.has(channel.id)) fail('method_not_supported_for_channel_type');
  }

  message(channel: FakeChannel, ts: string | undefined): FakeMessage {
    const found = ts ? this.messageAt(channel.id, ts) : undefined;
    if (!found || found.deleted) fail('message_not_found');
    return found;
  }

  nameTaken(name: string, exceptId?: string): boolean {
    for (const c of this.channels.values()) {
      if (!c.is_im && c.name === name && c.id !== exceptId) return true;
    }
    return false;
  }

  /** Uses a trigger_id once within 3 s; returns whose it was. */
  useTrigger(args: Args): { user?: string } {
    const id = argString(args, 'trigger_id');
    if (!id) fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    const trigger = this.triggers.get(id);
    if (!trigger) fail('invalid_trigger_id');
    if (trigger.used || this.now() - trigger.issuedAt > TRIGGER_TTL_MS) fail('expired_trigger_id');
    trigger.used = true;
    return { user: trigger.user };
  }

  // ----- Slack's JSON shapes ----------------------------------------------------------------

  slackUser(user: FakeUser): Payload {
    const realName = user.real_name ?? user.name;
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      real_name: realName,
      deleted: user.deleted ?? false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
      is_admin: false,
      tz: user.tz ?? 'America/Los_Angeles',
      profile: {
        real_name: realName,
        display_name: user.name,
        title: user.title ?? '',
        ...(user.email !== undefined ? { email: user.email } : {}),
        ...(user.is_bot ? { bot_id: this.botId } : {}),
        image_48: `https://avatars.example.invalid/${user.id}_48.png`,
        team: this.teamId,
      },
    };
  }

  slackChannel(channel: FakeChannel, withCount = false): Payload {
    if (channel.is_im) {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: [...channel.members].find((m) => m !== this.botUserId) ?? this.botUserId,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: this.mpims.has(channel.id),
      is_private: channel.is_private,
      is_archived: channel.is_archived,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(this.botUserId),
      created: channel.created,
      creator: this.creators.get(channel.id) ?? '',
      context_team_id: this.teamId,
      topic: { value: channel.topic, creator: '', last_set: 0 },
      purpose: { value: channel.purpose, creator: '', last_set: 0 },
      previous_names: [],
      ...(withCount ? { num_members: channel.members.size } : {}),
    };
  }

  slackMessage(message: FakeMessage): Payload {
    const fromBot = message.user === this.botUserId;
    const replies = this.messages.filter((m) => !m.deleted && m.thread_ts === message.ts && m.ts !== message.ts);
    const reactions = this.reactionsTo(message.channel, message.ts);
    return {
      type: 'message',
      ts: message.ts,
      text: message.text ?? '',
      ...(message.user !== undefined ? { user: message.user } : {}),
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      ...(message.attachments !== undefined ? { attachments: message.attachments } : {}),
      ...(fromBot ? { bot_id: this.botId, app_id: this.appId } : {}),
      ...(message.thread_ts !== undefined ? { thread_ts: message.thread_ts } : {}),
      ...(replies.length > 0 ? { thread_ts: message.ts, reply_count: replies.length } : {}),
      ...(message.pinned ? { pinned_to: [message.channel] } : {}),
      ...(message.updates > 0 ? { edited: { user: message.user ?? '', ts: message.ts } } : {}),
      ...(reactions.length > 0 ? { reactions: reactions.map(({ name, users }) => ({ name, users, count: users.length })) } : {}),
      team: this.teamId,
    };
  }
}
