/**
 * Slack's mrkdwn as HTML, the way Slack's client shows it: *bold*, _italic_, ~strike~, `code`,
 * ```preformatted```, > quotes, • lists, <url|label> links, <@U…> as @Name, <#C…> as #name,
 * <!here>, <!date^…> in the viewer's time zone and common :emoji: shortcodes.
 *
 * Safety first: every character of the text is HTML-escaped before any markup is added, and the
 * markup is added only by this module, so no text (a title someone typed) can put HTML or script
 * into the page. Links are kept only for http(s) and mailto URLs.
 */
import { emojiFor } from './emoji';

export interface RenderContext {
  /** Display name of a user id (falls back to the id). */
  userName(id: string): string;
  /** Name of a channel id (falls back to the id). */
  channelName(id: string): string;
  /** The viewer's IANA time zone, for <!date> tokens. */
  timeZone: string;
  /** Now, for {date_pretty} and {ago}. */
  now: Date;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Slack sends &, < and > as entities inside mrkdwn and plain text; these are the characters. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Only web and mail links become anchors (never javascript: or data:). */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : undefined;
}

export function link(url: string, label: string): string {
  const safe = safeUrl(url);
  if (!safe) return label;
  return `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

/** Placeholders are private-use characters, stripped from the input so text cannot forge one. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

class Slots {
  private readonly html: string[] = [];
  put(html: string): string {
    this.html.push(html);
    return `${OPEN}${this.html.length - 1}${CLOSE}`;
  }
  fill(text: string): string {
    // Slots can hold slots (a link label with a mention); fill until none is left.
    let result = text;
    for (let i = 0; i < 5 && PLACEHOLDER.test(result); i += 1) {
      PLACEHOLDER.lastIndex = 0;
      result = result.replace(PLACEHOLDER, (_, index: string) => this.html[Number(index)] ?? '');
    }
    return result;
  }
}

const ORDINAL = (day: number): string => {
  const rem = day % 100;
  if (rem >= 11 && rem <= 13) return `${day}th`;
  return `${day}${{ 1: 'st', 2: 'nd', 3: 'rd' }[day % 10] ?? 'th'}`;
};

function parts(date: Date, timeZone: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    hour12: true,
  });
  return Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
}

function dayKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function ago(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const [n, unit] =
    s < 60
      ? [s, 'second']
      : s < 3600
        ? [Math.floor(s / 60), 'minute']
        : s < 86400
          ? [Math.floor(s / 3600), 'hour']
          : [Math.floor(s / 86400), 'day'];
  const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

/** A `<!date^seconds^format|fallback>` token's text, in the viewer's time zone. */
export function formatSlackDate(seconds: number, format: string, context: Pick<RenderContext, 'timeZone' | 'now'>): string {
  const date = new Date(seconds * 1000);
  const p = parts(date, context.timeZone);
  const shortMonth = p.month.slice(0, 3);
  const dateText = `${p.month} ${ORDINAL(Number(p.day))}, ${p.year}`;
  const pretty = (fallback: string): string => {
    const today = dayKey(context.now, context.timeZone);
    const yesterday = dayKey(new Date(context.now.getTime() - 86_400_000), context.timeZone);
    const tomorrow = dayKey(new Date(context.now.getTime() + 86_400_000), context.timeZone);
    const key = dayKey(date, context.timeZone);
    if (key === today) return 'today';
    if (key === yesterday) return 'yesterday';
    if (key === tomorrow) return 'tomorrow';
    return fallback;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => dayKey(date, context.timeZone),
    date: () => dateText,
    date_short: () => `${shortMonth} ${Number(p.day)}, ${p.year}`,
    date_long: () => `${p.weekday}, ${dateText}`,
    date_pretty: () => pretty(dateText),
    date_short_pretty: () => pretty(`${shortMonth} ${Number(p.day)}, ${p.year}`),
    date_long_pretty: () => pretty(`${p.weekday}, ${dateText}`),
    time: () => `${p.hour}:${p.minute} ${p.dayPeriod}`,
    time_secs: () => `${p.hour}:${p.minute}:${p.second} ${p.dayPeriod}`,
    ago: () => ago(date, context.now),
  };
  return format.replace(/\{(\w+)\}/g, (whole, name: string) => tokens[name]?.() ?? whole);
}

/** One `<...>` token: link, mention, channel, special mention or date. */
function angleToken(inner: string, context: RenderContext, slots: Slots): string {
  const [target = '', ...labelParts] = inner.split('|');
  const label = labelParts.join('|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return slots.put(`<span class="mention">@${escapeHtml(context.userName(id))}</span>`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label || context.channelName(id);
    return slots.put(`<span class="mention">#${escapeHtml(decodeSlackEntities(name))}</span>`);
  }
  if (target.startsWith('!')) {
    const body = target.slice(1);
    if (body.startsWith('date^')) {
      const [, seconds = '', format = '{date}'] = body.split('^');
      const n = Number(seconds);
      const text = Number.isFinite(n) ? formatSlackDate(n, format, context) : decodeSlackEntities(label);
      return slots.put(`<time datetime="${Number.isFinite(n) ? new Date(n * 1000).toISOString() : ''}">${escapeHtml(text)}</time>`);
    }
    if (body.startsWith('subteam^')) return slots.put(`<span class="mention">${escapeHtml(decodeSlackEntities(label || '@group'))}</span>`);
    const special = body.split('^')[0];
    return slots.put(`<span class="mention">@${escapeHtml(special)}</span>`);
  }
  const url = decodeSlackEntities(target);
  const text = label ? inline(decodeSlackEntities(label), slots) : escapeHtml(url);
  return slots.put(link(url, text));
}

/** Bold, italic, strike and emoji over already-escaped text. */
function styles(escaped: string): string {
  return escaped
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\w*])/g, '$1<strong>$2</strong>')
    .replace(/(^|[^\w])_(?!\s)([^_\n]*?[^\s_])_(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w~])~(?!\s)([^~\n]*?[^\s~])~(?![\w~])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+'-]+):/g, (whole, name: string) => {
      const emoji = emojiFor(name);
      return emoji ? `<span class="emoji" role="img" aria-label="${name}">${emoji}</span>` : whole;
    });
}

/** One line's (or label's) inline markup; `text` has Slack's entities decoded already except tokens. */
function inline(text: string, slots: Slots): string {
  const withTokens = text.replace(/`([^`\n]+)`/g, (_, code: string) => slots.put(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`));
  return styles(escapeHtml(withTokens));
}

/** mrkdwn text (as an app sends it, with &amp; &lt; &gt; entities) as safe HTML. */
export function mrkdwnToHtml(source: string, context: RenderContext): string {
  const slots = new Slots();
  let text = source.replace(/[\uE000\uE001]/g, '');
  // Preformatted blocks first: nothing inside them is markup.
  text = text.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    slots.put(`<pre>${escapeHtml(decodeSlackEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  // Then the <...> tokens, before their entities are decoded (a literal "<" arrives as &lt;).
  text = text.replace(/<([^<>\n]+)>/g, (_, inner: string) => angleToken(inner, context, slots));
  text = decodeSlackEntities(text);

  const lines = text.split('\n');
  const out: string[] = [];
  let list: string[] = [];
  let quote: string[] = [];
  const flush = (): void => {
    if (list.length > 0) out.push(`<ul>${list.map((item) => `<li>${item}</li>`).join('')}</ul>`);
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    list = [];
    quote = [];
  };
  const plain: string[] = [];
  const flushPlain = (): void => {
    if (plain.length > 0) out.push(plain.join('<br>'));
    plain.length = 0;
  };
  for (const line of lines) {
    const bullet = /^\s*(?:•|◦|-)\s+(.*)$/.exec(line);
    const quoted = /^>\s?(.*)$/.exec(line);
    if (bullet) {
      flushPlain();
      if (quote.length > 0) flush();
      list.push(inline(bullet[1], slots));
    } else if (quoted) {
      flushPlain();
      if (list.length > 0) flush();
      quote.push(inline(quoted[1], slots));
    } else {
      flush();
      plain.push(inline(line, slots));
    }
  }
  flush();
  flushPlain();
  return slots.fill(out.join('<br>'));
}

/** plain_text objects: escaped, with :emoji: when `emoji` is not false. */
export function plainTextToHtml(text: string, emoji = true): string {
  const escaped = escapeHtml(decodeSlackEntities(text.replace(/[\uE000\uE001]/g, '')));
  const withEmoji = emoji
    ? escaped.replace(/:([a-z0-9_+'-]+):/g, (whole, name: string) => {
        const e = emojiFor(name);
        return e ? `<span class="emoji" role="img" aria-label="${name}">${e}</span>` : whole;
      })
    : escaped;
  return withEmoji.replace(/\n/g, '<br>');
}
