import { LRUCache } from 'lru-cache';
import { Agent, request } from 'undici';
import { SlackCallError } from './errors';

/** What a response_url post carries (Slack's message payload for it). */
export interface ResponseUrlPayload {
  response_type: 'ephemeral' | 'in_channel';
  replace_original: boolean;
  text: string;
  blocks?: unknown[];
}

export interface ResponseUrlLimits {
  /** Sockets open at once to one origin (every response_url is on hooks.slack.com). */
  connectionsPerOrigin: number;
  /** Connecting, waiting for the answer's headers, and the whole post, each at most this long. */
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
}

export const DEFAULT_RESPONSE_URL_LIMITS: ResponseUrlLimits = {
  connectionsPerOrigin: 64,
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  totalTimeoutMs: 15_000,
};

/** Slack keeps a response_url 30 minutes; a failure is remembered as long. */
const FORGET_FAILURES_AFTER_MS = 30 * 60_000;

/**
 * Posts to response_urls over one bounded connection pool (global fetch has no limit on sockets
 * or time: under a slow Slack, posts and their unread bodies piled up in memory). Every answer's
 * body is read to the end, so its socket goes back to the pool. A response_url that failed once
 * is not posted to again: Slack already refused it, or it may have taken the first post after
 * all, and a second one would say the same thing twice or fail the same way.
 */
export class ResponseUrlPoster {
  private readonly agent: Agent;
  private readonly failed = new LRUCache<string, string>({ max: 10_000, ttl: FORGET_FAILURES_AFTER_MS });

  constructor(private readonly limits: ResponseUrlLimits = DEFAULT_RESPONSE_URL_LIMITS) {
    this.agent = new Agent({
      connections: limits.connectionsPerOrigin,
      connect: { timeout: limits.connectTimeoutMs },
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.headersTimeoutMs,
    });
  }

  /** True when a post to `responseUrl` already failed: nothing more should be sent there. */
  hasFailed(responseUrl: string): boolean {
    return this.failed.has(responseUrl);
  }

  async post(responseUrl: string, payload: ResponseUrlPayload): Promise<void> {
    const earlier = this.failed.get(responseUrl);
    if (earlier) {
      throw new SlackCallError(
        'response_url',
        earlier,
        'Slack did not take an earlier answer to that request, so the app did not try again',
      );
    }
    let status: number;
    try {
      const answer = await request(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.limits.totalTimeoutMs),
      });
      status = answer.statusCode;
      await answer.body.dump();
    } catch (error) {
      this.failed.set(responseUrl, 'request_failed');
      throw new SlackCallError('response_url', 'request_failed', 'the app could not reach Slack; try again shortly', { cause: error });
    }
    if (status < 200 || status >= 300) {
      this.failed.set(responseUrl, `http_${status}`);
      throw new SlackCallError(
        'response_url',
        `http_${status}`,
        'Slack no longer accepts answers to that request (it is over 30 minutes old or was used 5 times)',
      );
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
