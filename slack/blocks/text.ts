import type { KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';

/** Slack's limits (DESIGN.md, "The Slack contract"). */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  modalTitle: 24,
  selectOptions: 100,
  privateMetadata: 3000,
  plainTextOption: 75,
} as const;

/**
 * Escapes user text for mrkdwn: `&`, `<` and `>` become entities, so a title such as
 * "<!channel> hi" or "<https://evil|bank>" renders as text and pings or links nobody.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export const mention = (userId: string): string => `<@${userId}>`;
export const channelMention = (channelId: string): string => `<#${channelId}>`;

/** A link whose label is user text (escaped) and whose URL is ours or validated. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeText(label).replace(/\|/g, '¦')}>`;
}

/** A time every reader sees in their own time zone, with a UTC fallback for old clients. */
export function slackDate(date: Date, format = '{date_short_pretty} at {time}'): string {
  const epoch = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^${format}|${fallback}>`;
}

/** "3h 12m", "45m", "2d 4h": how long something took. */
export function formatDuration(milliseconds: number): string {
  const minutes = Math.max(0, Math.round(milliseconds / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return rest > 0 ? `${hours}h ${rest}m` : `${hours}h`;
  return `${rest}m`;
}

/** "5 minutes ago", "2 hours ago", "just now". */
export function formatAge(since: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} days ago`;
}

export function plain(text: string, max = 3000): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function context(...parts: string[]): KnownBlock {
  return {
    type: 'context',
    elements: parts
      .filter(Boolean)
      .slice(0, 10)
      .map((part) => ({ type: 'mrkdwn' as const, text: truncate(part, LIMITS.sectionText) })),
  };
}

export const divider = (): KnownBlock => ({ type: 'divider' });

/** Section "fields": label on top, value below; at most 10 per section, 2000 characters each. */
export function fields(pairs: Array<[string, string]>): SectionBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn' as const, text: truncate(`*${label}*\n${value}`, 2000) })),
  };
}
