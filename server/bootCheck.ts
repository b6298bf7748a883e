import { ErrorCode, type Logger, LogLevel, type RetryOptions, WebClient } from '@slack/web-api';
import type { SettingProblem, Settings } from '../config';
import type { AppLogger } from '../logging/logger';

/** Who the bot is, as auth.test says. */
export interface BotIdentity {
  userId: string;
  botId: string | null;
  teamId: string | null;
}

/**
 * How long the boot check keeps trying: a network that comes up a few seconds after the app
 * (a container starting beside its sidecar) is waited for, a dead one is reported in seconds,
 * not after the five minutes of the app's normal retry policy.
 */
export interface BootCheckBudget {
  /** Retries after the first attempt. */
  retries: number;
  /** First pause between attempts; later pauses grow by `factor`. */
  minTimeoutMs: number;
  factor: number;
  /** No new attempt starts after this much time since the first. */
  maxRetryTimeMs: number;
  /** One attempt's limit (DNS, connect and answer). */
  attemptTimeoutMs: number;
}

/** At most ~20 s in all: the last attempt starts before 15 s and gives up after 4 s more. */
export const DEFAULT_BOOT_CHECK_BUDGET: BootCheckBudget = {
  retries: 6,
  minTimeoutMs: 500,
  factor: 1.6,
  maxRetryTimeMs: 15_000,
  attemptTimeoutMs: 4_000,
};

/** Slack's answers that mean the token itself was refused. */
const TOKEN_REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** The boot check failed; `kind` tells the cases apart, the message says what to do. */
export class SlackCheckError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'token-refused' | 'other',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackCheckError';
  }
}

interface ErrorWithCode {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  original?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
}

const asRecord = (value: unknown): ErrorWithCode => (typeof value === 'object' && value !== null ? (value as ErrorWithCode) : {});

/** The innermost network error's words: "connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND slack.com". */
function networkReason(error: unknown): string {
  let current = asRecord(error);
  const seen = new Set<unknown>([error]);
  for (const next of [current.original, current.cause]) {
    if (next && !seen.has(next)) {
      seen.add(next);
      current = asRecord(next);
      break;
    }
  }
  while (current.cause && !seen.has(current.cause)) {
    seen.add(current.cause);
    current = asRecord(current.cause);
  }
  const name = (current as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time (timeout)';
  return typeof current.message === 'string' ? current.message : String(error);
}

/**
 * fetch, with the network error's own words in the message it rejects with: undici says only
 * "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, a timeout) in `cause`.
 */
const describedFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    throw new Error(networkReason(error), { cause: error });
  }
};

/** Turns what auth.test threw into one of the three cases, with the setting or the URL to check. */
export function classifyCheckFailure(error: unknown, url: string, attempts: number, elapsedMs: number): SlackCheckError {
  const failure = asRecord(error);
  const tried = attempts > 1 ? ` (tried ${attempts} times over ${Math.round(elapsedMs / 1000)} s)` : '';
  if (failure.code === ErrorCode.RequestError) {
    return new SlackCheckError(
      'unreachable',
      `Dispatch for Slack cannot start: Slack's Web API is unreachable at ${url}: ${networkReason(error)}${tried}. ` +
        'Check the network, DNS and any proxy between this host and Slack (or SLACK_API_URL if you changed it); the bot token was not checked.',
      { cause: error },
    );
  }
  const slackError = failure.code === ErrorCode.PlatformError && typeof failure.data?.error === 'string' ? failure.data.error : undefined;
  if (slackError && TOKEN_REFUSED.has(slackError)) {
    return new SlackCheckError(
      'token-refused',
      `Dispatch for Slack cannot start: Slack refused the bot token (${slackError}) at ${url}. ` +
        'Check SLACK_API_BOT_TOKEN: it must be the Bot User OAuth Token (xoxb-...) from OAuth & Permissions of this app, installed in the workspace.',
      { cause: error },
    );
  }
  const what =
    slackError !== undefined
      ? `Slack answered ${slackError}`
      : failure.code === ErrorCode.HTTPError
        ? `Slack answered HTTP ${String(failure.statusCode)}`
        : failure.code === ErrorCode.RateLimitedError
          ? 'Slack is rate limiting this token'
          : `the check failed: ${failure.message ?? String(error)}`;
  return new SlackCheckError('other', `Dispatch for Slack cannot start: checking the bot token at ${url}, ${what}${tried}.`, {
    cause: error,
  });
}

/**
 * The boot check: auth.test against SLACK_API_URL, before the app listens. One log line says
 * where it checks; a short, bounded retry rides out a network that is still coming up; the
 * error says whether Slack was unreachable, refused the token, or answered something else.
 */
export async function checkSlackToken(settings: Settings, logger: AppLogger, budget = DEFAULT_BOOT_CHECK_BUDGET): Promise<BotIdentity> {
  const url = `${settings.slack.apiUrl}auth.test`;
  logger.info(`checking the bot token against Slack's Web API at ${url}`, { url });
  let attempts = 0;
  const started = Date.now();
  const retryConfig: RetryOptions & { onFailedAttempt(error: Error & { attemptNumber: number; retriesLeft: number }): void } = {
    retries: budget.retries,
    factor: budget.factor,
    minTimeout: budget.minTimeoutMs,
    maxTimeout: budget.maxRetryTimeMs,
    maxRetryTime: budget.maxRetryTimeMs,
    randomize: false,
    onFailedAttempt(error) {
      attempts = error.attemptNumber;
      if (error.retriesLeft > 0) {
        logger.warn('Slack did not answer the boot check; trying again', {
          url,
          attempt: error.attemptNumber,
          reason: networkReason(error),
        });
      }
    },
  };
  const client = new WebClient(settings.slack.botToken, {
    slackApiUrl: settings.slack.apiUrl,
    timeout: budget.attemptTimeoutMs,
    retryConfig,
    rejectRateLimitedCalls: true,
    fetch: describedFetch,
    // The attempts are logged above, once each and with their reason; the client's own lines would repeat them bare.
    logger: silentLogger,
  });
  try {
    const result = await client.auth.test();
    if (!result.user_id)
      throw new SlackCheckError('other', `Dispatch for Slack cannot start: auth.test at ${url} did not say who the bot is.`);
    return { userId: result.user_id, botId: result.bot_id ?? null, teamId: result.team_id ?? null };
  } catch (error) {
    if (error instanceof SlackCheckError) throw error;
    throw classifyCheckFailure(error, url, Math.max(attempts, 1), Date.now() - started);
  }
}

/** Logs at boot what the settings mean in effect: the on-call provider, and every warning (an active override included). */
export function reportEffectiveSettings(logger: AppLogger, settings: Settings, warnings: readonly SettingProblem[]): void {
  const { provider, scheduleFile } = settings.oncall;
  logger.info(`on-call provider: ${provider}`, {
    provider,
    ...(provider === 'schedule' ? { scheduleFile, timezone: settings.oncall.timezone } : {}),
    ...(provider === 'pagerduty' ? { pagerdutyApiUrl: settings.oncall.pagerdutyApiUrl } : {}),
  });
  for (const { setting, problem } of warnings) logger.warn(`${setting} ${problem}`, { setting });
}

const ignore = (): void => undefined;
const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  setLevel: ignore,
  getLevel: () => LogLevel.ERROR,
  setName: ignore,
};
