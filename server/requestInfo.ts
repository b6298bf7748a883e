import type { AnyMiddlewareArgs } from '@slack/bolt';
import type { RequestContext } from '../logging/context';

/** A Slack request body as Bolt types it, or as the receiver has it before Bolt routes it. */
type Body = AnyMiddlewareArgs['body'] | Record<string, unknown>;

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null && key in source ? (source as Record<string, unknown>)[key] : undefined;
}

function text(source: unknown, key: string): string | undefined {
  const value = field(source, key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** What a log line should say about this request: kind, command or event, user, channel. */
export function describeRequest(body: Body): RequestContext {
  const event = field(body, 'event');
  const command = text(body, 'command');
  if (command) {
    return { kind: 'command', command, user: text(body, 'user_id'), channel: text(body, 'channel_id') };
  }
  if (event) {
    return {
      kind: 'event',
      eventType: text(event, 'type'),
      user: text(event, 'user'),
      channel: text(event, 'channel') ?? text(field(event, 'item'), 'channel'),
    };
  }
  const kind = text(body, 'type') ?? 'unknown';
  const actions = field(body, 'actions');
  const firstAction = Array.isArray(actions) ? actions[0] : undefined;
  return {
    kind,
    action: text(firstAction, 'action_id') ?? text(field(body, 'view'), 'callback_id') ?? text(body, 'callback_id'),
    user: text(field(body, 'user'), 'id'),
    channel: text(field(body, 'channel'), 'id') ?? text(field(body, 'container'), 'channel_id'),
  };
}

/** Where to tell the person behind a request that something failed. */
export interface ReplyTarget {
  userId?: string;
  channelId?: string;
  responseUrl?: string;
}

export function replyTargetOf(body: Body): ReplyTarget {
  const described = describeRequest(body);
  const responseUrls = field(body, 'response_urls');
  const firstResponseUrl = Array.isArray(responseUrls) ? text(responseUrls[0], 'response_url') : undefined;
  return {
    userId: described.user,
    channelId: described.kind === 'event' ? undefined : described.channel,
    responseUrl: text(body, 'response_url') ?? firstResponseUrl,
  };
}

/** The Events API event id (undefined for commands and interactions). */
export function eventIdOf(body: Body): string | undefined {
  return field(body, 'event') ? text(body, 'event_id') : undefined;
}

/** The app that authored an event, when it carries one (app_id or bot_profile.app_id, not api_app_id). */
export function authoringAppOf(body: Body): string | undefined {
  const event = field(body, 'event');
  if (!event) return undefined;
  const message = field(event, 'message');
  return (
    text(event, 'app_id') ??
    text(field(event, 'bot_profile'), 'app_id') ??
    text(message, 'app_id') ??
    text(field(message, 'bot_profile'), 'app_id')
  );
}

export function eventUserOf(body: Body): string | undefined {
  const event = field(body, 'event');
  return event ? text(event, 'user') : undefined;
}

export function eventTypeOf(body: Body): string | undefined {
  const event = field(body, 'event');
  return event ? text(event, 'type') : undefined;
}
