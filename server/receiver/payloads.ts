/**
 * What a verified request body is, decided before Bolt sees it: Bolt dereferences fields of the
 * payload it routes (`event.item.channel`, `actions[0]`, `view.id`), so a signed body of another
 * shape would fail inside it, or wait 3 s for an ack nobody sends. A body that is not one of
 * Slack's payload shapes is refused at once with a 4xx instead.
 */

export type SlackBodyKind =
  | 'ssl_check'
  | 'url_verification'
  | 'app_rate_limited'
  | 'event'
  | 'command'
  | 'options'
  | 'action'
  | 'shortcut'
  | 'view';

export type Classified = { kind: SlackBodyKind; body: Record<string, unknown> } | { kind: 'refused'; reason: string };

/** Deeper than any payload Slack sends (a modal's rich text is about a dozen levels). */
export const MAX_PAYLOAD_DEPTH = 64;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const hasUser = (body: Json) => isObject(body.user) && isText(body.user.id);

/** Nesting depth of a parsed JSON value, walked without recursion so no depth can overflow the stack. */
export function depthOf(value: unknown, limit = MAX_PAYLOAD_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function classifyEvent(body: Json): Classified {
  const event = body.event;
  if (!isObject(event) || !isText(event.type)) return { kind: 'refused', reason: 'an event_callback without an event type' };
  if (!isText(body.event_id)) return { kind: 'refused', reason: 'an event_callback without an event_id' };
  // Bolt reads the conversation from these; another type there throws inside it.
  if ('item' in event && !isObject(event.item)) return { kind: 'refused', reason: 'an event whose item is not an object' };
  if ('channel' in event && !isText(event.channel) && !isObject(event.channel)) {
    return { kind: 'refused', reason: 'an event whose channel is neither an id nor an object' };
  }
  return { kind: 'event', body };
}

function classifyCommand(body: Json): Classified {
  // A form field given twice arrives as an array; Slack never sends that.
  if (Object.values(body).some((value) => typeof value !== 'string')) return { kind: 'refused', reason: 'a command with repeated fields' };
  if (!isText(body.command) || !body.command.startsWith('/')) return { kind: 'refused', reason: 'a command that names no command' };
  if (!isText(body.user_id)) return { kind: 'refused', reason: 'a command without user_id' };
  return { kind: 'command', body };
}

function classifyInteraction(body: Json): Classified {
  switch (body.type) {
    case 'block_actions':
    case 'interactive_message': {
      const actions = body.actions;
      if (!Array.isArray(actions) || actions.length === 0 || !actions.every(isObject)) {
        return { kind: 'refused', reason: `a ${body.type} payload without actions` };
      }
      if (!hasUser(body)) return { kind: 'refused', reason: `a ${body.type} payload without a user` };
      return { kind: 'action', body };
    }
    case 'block_suggestion':
    case 'dialog_suggestion':
      if (!hasUser(body)) return { kind: 'refused', reason: `a ${body.type} payload without a user` };
      if (body.type === 'block_suggestion' && !isText(body.action_id))
        return { kind: 'refused', reason: 'a block_suggestion without action_id' };
      return { kind: 'options', body };
    case 'dialog_submission':
      if (!hasUser(body) || !isObject(body.submission)) return { kind: 'refused', reason: 'a dialog_submission without a submission' };
      return { kind: 'action', body };
    case 'shortcut':
    case 'message_action':
      if (!hasUser(body) || !isText(body.callback_id)) return { kind: 'refused', reason: `a ${body.type} without a callback_id` };
      return { kind: 'shortcut', body };
    case 'view_submission':
    case 'view_closed':
      if (!hasUser(body) || !isObject(body.view) || !isText(body.view.id))
        return { kind: 'refused', reason: `a ${body.type} without a view` };
      return { kind: 'view', body };
    default:
      return { kind: 'refused', reason: isText(body.type) ? 'an interaction type this app does not handle' : 'a payload of no known type' };
  }
}

/** Sorts a parsed, verified body into what Bolt can route, or refuses it with a reason for the log. */
export function classifySlackBody(parsed: unknown): Classified {
  if (!isObject(parsed)) return { kind: 'refused', reason: 'a body that is not a JSON object' };
  const body = parsed;
  if (body.ssl_check === '1') return { kind: 'ssl_check', body };
  if (depthOf(body) > MAX_PAYLOAD_DEPTH) return { kind: 'refused', reason: 'a payload nested deeper than Slack nests' };
  if (body.type === 'url_verification') {
    return isText(body.challenge)
      ? { kind: 'url_verification', body }
      : { kind: 'refused', reason: 'a url_verification without a challenge' };
  }
  if (body.type === 'app_rate_limited') return { kind: 'app_rate_limited', body };
  if (body.type === 'event_callback') return classifyEvent(body);
  if ('event' in body) return { kind: 'refused', reason: 'an event outside an event_callback' };
  if ('command' in body) return classifyCommand(body);
  return classifyInteraction(body);
}
