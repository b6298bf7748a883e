/**
 * conversations.*: create, invite, kick, archive, topics and purposes, members, history and
 * replies, and opening DMs, with Slack's errors (name_taken, already_in_channel, cant_invite_self,
 * not_in_channel, is_archived...).
 */
import { argBool, argString, fail, paginate, required, splitList, tsKey } from '../args';
import { channelNameError, type MethodTable, type WorkspaceState } from '../state';
import type { FakeChannel, FakeMessage } from '../types';

const MAX_TOPIC = 250;
const MAX_PURPOSE = 250;

export function registerConversationMethods(h: MethodTable, ws: WorkspaceState): void {
  h.set('conversations.create', (args) => {
    const name = argString(args, 'name') ?? '';
    const nameError = channelNameError(name);
    if (nameError) fail(nameError);
    if (ws.nameTaken(name)) fail('name_taken');
    // Slack answers C... ids for private channels too nowadays.
    const channel: FakeChannel = {
      id: ws.newId('C'),
      name,
      is_private: argBool(args, 'is_private'),
      is_im: false,
      is_archived: false,
      members: new Set([ws.botUserId]),
      topic: '',
      purpose: '',
      created: ws.nowSeconds(),
    };
    ws.channels.set(channel.id, channel);
    ws.creators.set(channel.id, ws.botUserId);
    ws.changed({ kind: 'channels' });
    return { channel: ws.slackChannel(channel) };
  });
  h.set('conversations.invite', (args) => {
    const channel = ws.channel(args);
    const users = splitList(argString(args, 'users'));
    if (users.length === 0) fail('no_user');
    ws.requireConversation(channel);
    ws.requireWritable(channel);
    if (users.includes(ws.botUserId)) fail('cant_invite_self');
    if (users.some((u) => !ws.isUser(u))) fail('user_not_found');
    const fresh = users.filter((u) => !channel.members.has(u));
    if (fresh.length === 0) fail('already_in_channel');
    for (const u of fresh) channel.members.add(u);
    for (const u of fresh) ws.changed({ kind: 'member', channel: channel.id, user: u, joined: true, inviter: ws.botUserId });
    ws.changed({ kind: 'channels' });
    return { channel: ws.slackChannel(channel) };
  });
  h.set('conversations.kick', (args) => {
    const channel = ws.channel(args);
    const user = required(args, 'user');
    ws.requireConversation(channel);
    if (user === ws.botUserId) fail('cant_kick_self');
    ws.requireWritable(channel);
    if (!channel.members.has(user)) fail('not_in_channel');
    channel.members.delete(user);
    ws.changed({ kind: 'member', channel: channel.id, user, joined: false });
    ws.changed({ kind: 'channels' });
    return {};
  });
  h.set('conversations.setTopic', (args) => {
    const channel = ws.channel(args);
    ws.requireWritable(channel);
    const topic = argString(args, 'topic') ?? '';
    if (topic.length > MAX_TOPIC) fail('too_long');
    channel.topic = topic;
    ws.changed({ kind: 'channel', channel: channel.id });
    return { channel: ws.slackChannel(channel) };
  });
  h.set('conversations.setPurpose', (args) => {
    const channel = ws.channel(args);
    ws.requireWritable(channel);
    const purpose = argString(args, 'purpose') ?? '';
    if (purpose.length > MAX_PURPOSE) fail('too_long');
    channel.purpose = purpose;
    ws.changed({ kind: 'channel', channel: channel.id });
    return { channel: ws.slackChannel(channel) };
  });
  h.set('conversations.archive', (args) => {
    const channel = ws.channel(args);
    ws.requireConversation(channel);
    if (channel.is_archived) fail('already_archived');
    ws.requireWritable(channel);
    channel.is_archived = true;
    ws.changed({ kind: 'channels' });
    return {};
  });
  h.set('conversations.members', (args) => {
    const { page, next_cursor } = paginate([...ws.channel(args).members], args, 100);
    return { members: page, response_metadata: { next_cursor } };
  });
  h.set('conversations.open', (args) => {
    const reopen = argString(args, 'channel');
    if (reopen) return { channel: { id: ws.channel(args).id }, already_open: true };
    const users = splitList(argString(args, 'users')).filter((u) => u !== ws.botUserId);
    if (users.length === 0) fail('users_list_not_supplied');
    if (users.some((u) => !ws.isUser(u))) fail('user_not_found');
    if (users.length === 1) {
      const { channel, existed } = ws.imFor(users[0]);
      return { no_op: existed, already_open: existed, channel: { id: channel.id } };
    }
    // A group DM: an mpim, private, with everyone plus the bot.
    const name = `mpdm-${users.map((u) => u.toLowerCase()).join('--')}-1`;
    const existing = [...ws.channels.values()].find((c) => ws.mpims.has(c.id) && c.name === name);
    if (existing) return { no_op: true, already_open: true, channel: { id: existing.id } };
    const mpim = ws.addChannel({ id: ws.newId('G'), name, is_private: true, members: new Set([ws.botUserId, ...users]) });
    ws.mpims.add(mpim.id);
    return { channel: { id: mpim.id } };
  });
  h.set('conversations.history', (args) => {
    const channel = ws.channel(args);
    if (!channel.is_im && !channel.members.has(ws.botUserId)) fail('not_in_channel');
    const inclusive = argBool(args, 'inclusive');
    const latest = argString(args, 'latest');
    const oldest = argString(args, 'oldest');
    const within = (m: FakeMessage): boolean => {
      const key = tsKey(m.ts);
      if (latest && (inclusive ? key > tsKey(latest) : key >= tsKey(latest))) return false;
      if (oldest && (inclusive ? key < tsKey(oldest) : key <= tsKey(oldest))) return false;
      return true;
    };
    // Top-level messages only, newest first, as Slack returns them.
    const top = ws
      .messagesIn(channel.id)
      .filter((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && within(m))
      .reverse();
    const { page, next_cursor } = paginate(top, args, 100);
    return {
      messages: page.map((m) => ws.slackMessage(m)),
      has_more: next_cursor !== '',
      pin_count: ws.messagesIn(channel.id).filter((m) => m.pinned).length,
      response_metadata: { next_cursor },
    };
  });
  h.set('conversations.replies', (args) => {
    const channel = ws.channel(args);
    if (!channel.is_im && !channel.members.has(ws.botUserId)) fail('not_in_channel');
    const ts = required(args, 'ts');
    const thread = ws.messagesIn(channel.id).filter((m) => m.ts === ts || m.thread_ts === ts);
    if (thread.length === 0) fail('thread_not_found');
    const { page, next_cursor } = paginate(thread, args, 1000);
    return { messages: page.map((m) => ws.slackMessage(m)), has_more: next_cursor !== '', response_metadata: { next_cursor } };
  });
}
