import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

/**
 * What a Slack Web API error means, in words for the person who was affected. Slack's code is
 * kept alongside so the log line and the tests can name it precisely.
 */
const PLAIN_WORDS: Record<string, string> = {
  channel_not_found: 'Slack could not find the channel (it may have been deleted, or the app was removed from it)',
  not_in_channel: 'the app is not a member of the channel; invite it with /invite @Dispatch',
  is_archived: 'the channel is archived; unarchive it first',
  name_taken: 'a channel with that name already exists',
  invalid_name_specials: 'the channel name has characters Slack does not allow',
  invalid_name_maxlength: 'the channel name is longer than Slack allows (80 characters)',
  invalid_name_required: 'the channel name is empty',
  invalid_name: 'Slack refused the channel name',
  already_in_channel: 'that person is already in the channel',
  cant_invite_self: 'the app cannot invite itself',
  user_not_found: 'Slack could not find that user',
  users_not_found: 'Slack has no user with that email address',
  user_not_in_channel: 'that person is not in the channel',
  user_is_restricted: 'that person is a guest and cannot be added',
  missing_scope: 'the Slack app is missing a permission (scope); reinstall it from manifest.yml',
  invalid_auth: 'Slack refused the bot token (SLACK_API_BOT_TOKEN); check the app installation',
  not_authed: 'no bot token was sent to Slack',
  account_inactive: 'the bot token belongs to a deactivated app or workspace',
  token_revoked: 'the bot token was revoked; reinstall the app',
  expired_trigger_id: 'the form took too long to open; run the command again',
  invalid_trigger_id: 'the form could not be opened; run the command again',
  message_not_found: 'Slack could not find that message',
  cant_update_message: 'the app cannot edit that message',
  restricted_action: 'a workspace setting does not allow this',
  too_many_users: 'too many people were invited at once',
  ratelimited: 'Slack is rate limiting the app; try again in a minute',
  rate_limited: 'Slack is rate limiting the app; try again in a minute',
  request_timeout: 'Slack did not answer in time',
  fatal_error: 'Slack had an internal error',
  internal_error: 'Slack had an internal error',
  service_unavailable: 'Slack is temporarily unavailable',
};

/** A Web API call that failed, with Slack's error code and a sentence a person can act on. */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly slackCode: string,
    readonly plainWords: string,
    options?: ErrorOptions,
  ) {
    super(`${method} failed: ${slackCode}`, options);
    this.name = 'SlackCallError';
  }
}

export function plainWordsFor(code: string): string {
  return PLAIN_WORDS[code] ?? `Slack answered "${code}"`;
}

/** Turns whatever WebClient threw into a SlackCallError. */
export function toSlackCallError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return new SlackCallError(method, code, plainWordsFor(code), { cause: error });
  }
  if (error instanceof WebAPIRateLimitedError) {
    return new SlackCallError(method, 'ratelimited', plainWordsFor('ratelimited'), { cause: error });
  }
  if (error instanceof WebAPIHTTPError) {
    return new SlackCallError(method, `http_${error.statusCode}`, `Slack answered with HTTP ${error.statusCode}; try again shortly`, {
      cause: error,
    });
  }
  if (error instanceof WebAPIRequestError) {
    return new SlackCallError(method, 'request_failed', 'the app could not reach Slack; try again shortly', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SlackCallError(method, 'unknown', `something went wrong talking to Slack (${message})`, { cause: error });
}

/** Slack's answers that say "not now" rather than "no": trying again later can succeed. */
const TRANSIENT_CODES = new Set([
  'request_failed',
  'ratelimited',
  'rate_limited',
  'request_timeout',
  'fatal_error',
  'internal_error',
  'service_unavailable',
]);

/** True when Slack was unreachable, overloaded or failing (HTTP 5xx, 408, 429, timeouts): worth retrying later. */
export function isTransientSlackError(error: unknown): boolean {
  if (!(error instanceof SlackCallError)) return false;
  const http = /^http_(\d{3})$/.exec(error.slackCode);
  if (http) {
    const status = Number(http[1]);
    return status >= 500 || status === 408 || status === 429;
  }
  return TRANSIENT_CODES.has(error.slackCode);
}

/** True when the error is Slack's `code` (for the errors a caller tolerates on purpose). */
export function isSlackError(error: unknown, ...codes: string[]): boolean {
  return error instanceof SlackCallError && codes.includes(error.slackCode);
}
