/**
 * What one person sees in the workspace, as HTML pieces the page swaps in: the sidebar, the
 * open channel (or Home), the modal on top, and what Slack refused. Pure rendering over the
 * workspace's records; every text goes through the escaping renderers.
 */

import type { Notice } from '../people';
import { type BlockRenderContext, blocksHtml, plainWords } from '../render/blocks';
import { emojiFor, PICKER_EMOJI } from '../render/emoji';
import { escapeHtml, mrkdwnToHtml } from '../render/mrkdwn';
import type { FakeChannel, FakeView, SlackWorkspace } from '../workspace';

type Json = Record<string, unknown>;

export interface Shortcut {
  name: string;
  callbackId: string;
}

export interface ScreenInput {
  workspace: SlackWorkspace;
  viewer: string;
  /** A channel id, or "home". */
  at: string;
  shortcuts: Shortcut[];
  timelineEmoji: string;
  notices: Notice[];
  modals: FakeView[];
  now: Date;
}

export interface Screen {
  title: string;
  sidebar: string;
  main: string;
  modal: { key: string; html: string } | null;
  problems: string;
  composer: { enabled: boolean; placeholder: string; channel: string | null };
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function renderContext(input: ScreenInput): BlockRenderContext {
  const { workspace } = input;
  const viewer = workspace.users.get(input.viewer);
  const people = [...workspace.users.values()]
    .filter((u) => !u.is_bot && !u.deleted)
    .map((u) => ({ id: u.id, name: u.real_name ?? u.name }));
  return {
    userName: (id) => {
      const user = workspace.users.get(id);
      return user ? (user.real_name ?? user.name) : id;
    },
    channelName: (id) => workspace.channels.get(id)?.name ?? id,
    timeZone: viewer?.tz ?? 'UTC',
    now: input.now,
    people,
    conversations: [...workspace.channels.values()].filter((c) => !c.is_im && !c.is_archived).map((c) => ({ id: c.id, name: c.name })),
  };
}

/** Channels the viewer can see: public ones, and private ones they are in. */
export function visibleChannels(workspace: SlackWorkspace, viewer: string): FakeChannel[] {
  return [...workspace.channels.values()]
    .filter((c) => !c.is_im && !workspace.mpims.has(c.id) && (!c.is_private || c.members.has(viewer)))
    .sort((a, b) => (a.is_archived === b.is_archived ? a.created - b.created || a.name.localeCompare(b.name) : a.is_archived ? 1 : -1));
}

function sidebar(input: ScreenInput): string {
  const { workspace, viewer, at } = input;
  const current = (id: string) => (id === at ? ' aria-current="page"' : '');
  const items = visibleChannels(workspace, viewer)
    .map((c) => {
      const lock = c.is_private ? '<span aria-hidden="true">🔒</span>' : '<span aria-hidden="true">#</span>';
      const label = `${c.is_private ? '' : '# '}${c.name}${c.is_archived ? ' (archived)' : ''}`;
      return `<li><button type="button" class="nav${c.is_archived ? ' archived' : ''}${c.members.has(viewer) ? '' : ' not-member'}" data-nav="${escapeHtml(c.id)}" aria-label="${escapeHtml(label)}"${current(c.id)}>${lock} ${escapeHtml(c.name)}</button></li>`;
    })
    .join('');
  const dm = workspace.imByUser.get(viewer);
  const dmItem = dm
    ? `<li><button type="button" class="nav" data-nav="${escapeHtml(dm)}" aria-label="Dispatch (messages)"${current(dm)}><span aria-hidden="true">🤖</span> Dispatch</button></li>`
    : '';
  return `<nav aria-label="Workspace"><ul class="nav-list"><li><button type="button" class="nav" data-nav="home" aria-label="Home"${current('home')}><span aria-hidden="true">🏠</span> Home</button></li></ul><h2 class="nav-heading">Channels</h2><ul class="nav-list">${items}</ul>${dmItem ? `<h2 class="nav-heading">Apps</h2><ul class="nav-list">${dmItem}</ul>` : ''}</nav>`;
}

function timeText(ts: string, context: BlockRenderContext): string {
  const date = new Date(Number(ts.split('.')[0]) * 1000);
  return new Intl.DateTimeFormat('en-US', { timeZone: context.timeZone, hour: 'numeric', minute: '2-digit' }).format(date);
}

function attachmentsHtml(attachments: unknown, context: BlockRenderContext): string {
  if (!Array.isArray(attachments)) return '';
  return attachments
    .filter(isRecord)
    .map((a) => {
      const color =
        typeof a.color === 'string' && /^#?[0-9a-f]{3,8}$/i.test(a.color) ? (a.color.startsWith('#') ? a.color : `#${a.color}`) : '#dddddd';
      const parts = [
        typeof a.pretext === 'string' ? mrkdwnToHtml(a.pretext, context) : '',
        typeof a.title === 'string' ? `<strong>${escapeHtml(a.title)}</strong>` : '',
        typeof a.text === 'string' ? `<div>${mrkdwnToHtml(a.text, context)}</div>` : '',
        Array.isArray(a.fields)
          ? `<div class="fields">${a.fields
              .filter(isRecord)
              .map(
                (f) =>
                  `<div class="field"><strong>${escapeHtml(String(f.title ?? ''))}</strong><br>${mrkdwnToHtml(String(f.value ?? ''), context)}</div>`,
              )
              .join('')}</div>`
          : '',
        blocksHtml(a.blocks, context),
      ];
      return `<div class="attachment" style="border-left-color:${escapeHtml(color)}">${parts.join('')}</div>`;
    })
    .join('');
}

function messageList(input: ScreenInput, channel: FakeChannel, context: BlockRenderContext): string {
  const { workspace, viewer } = input;
  const member = channel.members.has(viewer) || channel.is_im;
  const items: Array<{ ts: string; html: string }> = [];
  for (const message of workspace.messagesIn(channel.id)) {
    if (message.thread_ts && message.thread_ts !== message.ts) continue;
    const author = message.user ? context.userName(message.user) : 'Someone';
    const fromBot = message.user === workspace.botUserId;
    const body =
      Array.isArray(message.blocks) && message.blocks.length > 0
        ? blocksHtml(message.blocks, context)
        : mrkdwnToHtml(message.text ?? '', context);
    const reactions = workspace
      .reactionsTo(channel.id, message.ts)
      .map(({ name, users }) => {
        const who = users.map((u) => context.userName(u)).join(', ');
        return `<li class="reaction" aria-label="${escapeHtml(`${name} reaction by ${who}`)}"><span aria-hidden="true">${escapeHtml(emojiFor(name) ?? `:${name}:`)}</span> ${users.length}</li>`;
      })
      .join('');
    const replies = workspace.messagesIn(channel.id).filter((m) => m.thread_ts === message.ts && m.ts !== message.ts).length;
    const emojiChoices = [input.timelineEmoji, ...PICKER_EMOJI.filter((e) => e !== input.timelineEmoji)]
      .map(
        (name) =>
          `<li><button type="button" role="menuitem" data-reaction="${escapeHtml(name)}" aria-label="${escapeHtml(name)}">${escapeHtml(emojiFor(name) ?? `:${name}:`)}</button></li>`,
      )
      .join('');
    const shortcutItems = input.shortcuts
      .map(
        (s) => `<li><button type="button" role="menuitem" data-shortcut="${escapeHtml(s.callbackId)}">${escapeHtml(s.name)}</button></li>`,
      )
      .join('');
    const tools = member
      ? `<div class="tools"><div class="menu-wrap"><button type="button" class="tool" data-menu aria-haspopup="menu" aria-expanded="false">Add reaction</button><ul role="menu" class="menu" aria-label="Reactions" hidden>${emojiChoices}</ul></div><div class="menu-wrap"><button type="button" class="tool" data-menu aria-haspopup="menu" aria-expanded="false">More actions</button><ul role="menu" class="menu" aria-label="Message shortcuts" hidden>${shortcutItems}</ul></div></div>`
      : '';
    const marks = [
      message.pinned ? '<span class="mark pinned">📌 Pinned</span>' : '',
      message.updates > 0 ? '<span class="mark edited">(edited)</span>' : '',
    ].join('');
    const html = `<li class="message${message.pinned ? ' is-pinned' : ''}" data-channel="${escapeHtml(channel.id)}" data-ts="${escapeHtml(message.ts)}" aria-label="${escapeHtml(`${author}${message.pinned ? ', pinned' : ''}`)}"><article><header class="meta"><strong class="author">${escapeHtml(author)}</strong>${fromBot ? ' <span class="badge">APP</span>' : ''} <span class="time">${escapeHtml(timeText(message.ts, context))}</span> ${marks}</header><div class="content">${body}${attachmentsHtml(message.attachments, context)}</div>${replies > 0 ? `<div class="replies">${replies} ${replies === 1 ? 'reply' : 'replies'}</div>` : ''}${reactions ? `<ul class="reactions" aria-label="Reactions">${reactions}</ul>` : ''}${tools}</article></li>`;
    items.push({ ts: message.ts, html });
  }
  for (const ephemeral of workspace.ephemerals.filter((e) => e.channel === channel.id && e.user === viewer)) {
    const body =
      Array.isArray(ephemeral.blocks) && ephemeral.blocks.length > 0
        ? blocksHtml(ephemeral.blocks, context)
        : mrkdwnToHtml(ephemeral.text ?? '', context);
    items.push({
      ts: ephemeral.ts,
      html: `<li class="message ephemeral" data-channel="${escapeHtml(channel.id)}" data-ts="${escapeHtml(ephemeral.ts)}" data-ephemeral="true" aria-label="Dispatch, only visible to you"><article><header class="meta"><strong class="author">Dispatch</strong> <span class="badge">APP</span> <span class="time">${escapeHtml(timeText(ephemeral.ts, context))}</span> <span class="mark only-you">Only visible to you</span></header><div class="content">${body}</div><div class="tools"><button type="button" class="tool" data-dismiss>Dismiss</button></div></article></li>`,
    });
  }
  items.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const name = channel.is_im ? 'Dispatch' : `#${channel.name}`;
  return `<ol class="messages" aria-label="${escapeHtml(`Messages in ${name}`)}">${items.map((i) => i.html).join('') || '<li class="empty">No messages yet.</li>'}</ol>`;
}

function channelMain(input: ScreenInput, channel: FakeChannel, context: BlockRenderContext): string {
  const { workspace, viewer } = input;
  const member = channel.members.has(viewer);
  const pinned = workspace.messagesIn(channel.id).filter((m) => m.pinned).length;
  const bookmarks = workspace.bookmarks
    .filter((b) => b.channel_id === channel.id)
    .map(
      (b) =>
        `<li><a href="${escapeHtml(/^https?:/i.test(b.link) ? b.link : '#')}" target="_blank" rel="noopener noreferrer">${escapeHtml(b.title)}</a></li>`,
    )
    .join('');
  const membership = channel.is_im
    ? ''
    : member
      ? '<button type="button" class="btn" data-leave>Leave channel</button>'
      : channel.is_private || channel.is_archived
        ? ''
        : '<button type="button" class="btn btn-primary" data-join>Join channel</button>';
  const title = channel.is_im ? 'Dispatch' : `${channel.is_private ? '🔒 ' : '# '}${channel.name}`;
  const topic = channel.topic ? `<p class="topic" aria-label="Topic">${mrkdwnToHtml(channel.topic, context)}</p>` : '';
  const info = channel.is_im
    ? ''
    : `<p class="channel-info">${channel.members.size} members${pinned > 0 ? ` · ${pinned} pinned` : ''}${channel.is_archived ? ' · archived' : ''}</p>`;
  return `<header class="channel-header"><div><h1>${escapeHtml(title)}</h1>${topic}${info}</div><div class="membership">${membership}</div></header>${bookmarks ? `<ul class="bookmarks" aria-label="Bookmarks">${bookmarks}</ul>` : ''}${messageList(input, channel, context)}`;
}

function homeMain(input: ScreenInput, context: BlockRenderContext): string {
  const id = input.workspace.homeViews.get(input.viewer);
  const view = id ? input.workspace.views.get(id) : undefined;
  const body = view ? blocksHtml(view.view.blocks, context) : '<p class="empty">The app has not published a Home tab for you yet.</p>';
  return `<header class="channel-header"><div><h1>Home</h1><p class="channel-info">Dispatch</p></div></header><section class="home" aria-label="Dispatch Home" data-view-id="${escapeHtml(view?.id ?? '')}">${body}</section>`;
}

function modalHtml(view: FakeView, context: BlockRenderContext, depth: number): string {
  const raw = view.view;
  const title = plainWords(raw.title) || 'Modal';
  const submit = isRecord(raw.submit) ? plainWords(raw.submit) : '';
  const close = isRecord(raw.close) ? plainWords(raw.close) : 'Cancel';
  const state = isRecord(raw.state) && isRecord(raw.state.values) ? (raw.state.values as Record<string, Record<string, Json>>) : {};
  const titleId = `modal-title-${view.id}`;
  const general = view.errors?.[''];
  const body = blocksHtml(raw.blocks, { ...context, errors: view.errors, values: state });
  return `<div class="backdrop"><form class="modal" role="dialog" aria-modal="true" aria-labelledby="${titleId}" data-view-id="${escapeHtml(view.id)}" novalidate><header class="modal-header"><h2 id="${titleId}">${escapeHtml(title)}</h2>${depth > 1 ? `<span class="stack">${depth} open</span>` : ''}<button type="button" class="icon" data-close aria-label="Close">×</button></header><div class="modal-body">${general ? `<div class="field-error" role="alert">${escapeHtml(general)}</div>` : ''}${body}</div><footer class="modal-footer"><button type="button" class="btn" data-close>${escapeHtml(close)}</button>${submit ? `<button type="submit" class="btn btn-primary">${escapeHtml(submit)}</button>` : ''}</footer></form></div>`;
}

function problems(input: ScreenInput): string {
  const refused = input.workspace.refusedBlocks().slice(-5);
  const notices = input.notices.slice(-5);
  if (refused.length === 0 && notices.length === 0) return '';
  const items = [
    ...refused.map(
      (r) =>
        `<li><strong>${escapeHtml(r.method)}: ${escapeHtml(r.error)}</strong><ul>${r.messages.map((m) => `<li><code>${escapeHtml(m)}</code></li>`).join('')}</ul></li>`,
    ),
    ...notices.map((n) => `<li>${escapeHtml(n.text)}</li>`),
  ].join('');
  return `<section class="problems" role="region" aria-label="Slack refused"><h2>Slack refused or the app failed</h2><ul>${items}</ul></section>`;
}

export function renderScreen(input: ScreenInput): Screen {
  const context = renderContext(input);
  const channel = input.at === 'home' ? undefined : input.workspace.channels.get(input.at);
  const top = input.modals.at(-1);
  const modal = top
    ? { key: `${top.id}:${top.hash}:${JSON.stringify(top.errors ?? {})}`, html: modalHtml(top, renderContext(input), input.modals.length) }
    : null;
  const main = channel ? channelMain(input, channel, context) : homeMain(input, context);
  const canPost = channel !== undefined && !channel.is_archived && (channel.members.has(input.viewer) || channel.is_im);
  return {
    title: channel ? (channel.is_im ? 'Dispatch' : `#${channel.name}`) : 'Home',
    sidebar: sidebar(input),
    main,
    modal,
    problems: problems(input),
    composer: {
      enabled: canPost,
      placeholder: channel ? (channel.is_im ? 'Message Dispatch' : `Message #${channel.name}`) : 'Pick a channel to write in',
      channel: channel?.id ?? null,
    },
  };
}
