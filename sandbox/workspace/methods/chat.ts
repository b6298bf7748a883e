/** chat.postMessage, chat.postEphemeral, chat.update, chat.delete, chat.getPermalink. */
import { type Args, argString, fail, required } from '../args';
import { attachmentErrors, LIMITS, messageBlockErrors } from '../blockKit';
import type { MethodTable, WorkspaceState } from '../state';
import type { FakeMessage } from '../types';

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** A message's text, blocks and attachments as Slack checks them (invalid_blocks with pointers). */
export function checkMessageContent(args: Args): MessageContent {
  const text = argString(args, 'text');
  const { blocks, attachments } = args;
  if (typeof blocks === 'string') fail('invalid_blocks_format'); // a string left over is malformed JSON
  if (blocks !== undefined) {
    const messages = messageBlockErrors(blocks);
    if (messages.length > 0) fail('invalid_blocks', { response_metadata: { messages } });
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) fail('invalid_attachments');
    const messages = attachmentErrors(attachments);
    if (messages.length > 0) fail('invalid_attachments', { response_metadata: { messages } });
  }
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if ((text === undefined || text === '') && !hasBlocks && !hasAttachments) fail('no_text');
  if (text !== undefined && text.length > LIMITS.messageText) fail('msg_too_long');
  return {
    text,
    blocks: Array.isArray(blocks) ? blocks : undefined,
    attachments: Array.isArray(attachments) ? attachments : undefined,
  };
}

export function registerChatMethods(h: MethodTable, ws: WorkspaceState): void {
  h.set('chat.postMessage', (args) => {
    const content = checkMessageContent(args);
    const channel = ws.channel(args);
    ws.requireWritable(channel);
    const threadTs = argString(args, 'thread_ts');
    const message: FakeMessage = {
      channel: channel.id,
      ts: ws.nextTs(),
      ...content,
      user: ws.botUserId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      pinned: false,
      updates: 0,
      deleted: false,
    };
    ws.messages.push(message);
    ws.changed({ kind: 'channel', channel: channel.id });
    return { channel: channel.id, ts: message.ts, message: ws.slackMessage(message) };
  });
  h.set('chat.postEphemeral', (args) => {
    const content = checkMessageContent(args);
    const channel = ws.channel(args);
    const user = required(args, 'user');
    if (channel.is_archived) fail('is_archived');
    if (!channel.members.has(user)) fail('user_not_in_channel');
    const ts = ws.nextTs();
    ws.ephemerals.push({ channel: channel.id, ts, user, text: content.text, blocks: content.blocks });
    ws.changed({ kind: 'channel', channel: channel.id });
    return { message_ts: ts };
  });
  h.set('chat.update', (args) => {
    const channel = ws.channel(args);
    const message = ws.message(channel, argString(args, 'ts'));
    if (message.user !== ws.botUserId) fail('cant_update_message');
    if (channel.is_archived) fail('is_archived');
    const { text, blocks, attachments } = checkMessageContent(args);
    // Slack keeps what the update leaves out.
    if (text !== undefined) message.text = text;
    if (blocks !== undefined) message.blocks = blocks;
    if (attachments !== undefined) message.attachments = attachments;
    message.updates += 1;
    ws.changed({ kind: 'channel', channel: channel.id });
    return { channel: channel.id, ts: message.ts, text: message.text ?? '', message: ws.slackMessage(message) };
  });
  h.set('chat.delete', (args) => {
    const channel = ws.channel(args);
    const message = ws.message(channel, argString(args, 'ts'));
    if (message.user !== ws.botUserId) fail('cant_delete_message');
    message.deleted = true;
    ws.changed({ kind: 'channel', channel: channel.id });
    return { channel: channel.id, ts: message.ts };
  });
  h.set('chat.getPermalink', (args) => {
    const id = argString(args, 'channel');
    // Lenient about the ts: tests reference human messages the workspace never saw.
    const channel = id ? ws.channels.get(id) : undefined;
    if (!channel) fail('message_not_found');
    const ts = required(args, 'message_ts');
    const base = `https://${ws.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
    const threadTs = ws.messageAt(channel.id, ts)?.thread_ts;
    const permalink = threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel.id}` : base;
    return { channel: channel.id, permalink };
  });
}
