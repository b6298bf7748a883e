/**
 * Slack's message markup (`<@U123>`, `<#C1|general>`, `<https://x|label>`, `&lt;`) read as plain
 * text, for places that cannot render it: a plain-text input shows `<@U123>` literally.
 */

const TOKEN = /<([^<>]*)>/g;

/** The users a message mentions, in order of first mention. */
export function mentionedUserIds(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) ids.add(match[1]);
  return [...ids];
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function plainToken(inner: string, names: ReadonlyMap<string, string>): string {
  const [target, label] = splitLabel(inner);
  if (target.startsWith('@')) {
    const name = names.get(target.slice(1)) ?? label;
    return name ? `@${name.replace(/^@/, '')}` : '@someone';
  }
  if (target.startsWith('#')) return `#${label ?? 'a channel'}`;
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    if (special === 'here' || special === 'channel' || special === 'everyone') return `@${special}`;
    if (special === 'subteam') return label ?? '@a group';
    return label ?? '';
  }
  const url = target.replace(/^mailto:/, '');
  return label && label !== url ? `${label} (${url})` : url;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** Plain text a person reads: mentions become @Name (or @someone), links "label (url)". */
export function markupToPlainText(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return decodeEntities(text.replace(TOKEN, (_whole, inner: string) => plainToken(inner, names)));
}
