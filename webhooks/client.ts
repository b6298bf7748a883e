import { Agent, request } from 'undici';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signing';

/** What one POST to an endpoint came to, and whether trying again can help. */
export type AttemptResult =
  | { outcome: 'delivered'; status: number }
  /** Worth another try: a timeout, a network error, 5xx, 408 or 429 (with the wait it asked for). */
  | { outcome: 'retry'; reason: RetryReason; status: number | null; retryAfterMs: number | null; detail: string }
  /** The endpoint refused it for good (another 4xx, a redirect): retrying sends the same refusal. */
  | { outcome: 'rejected'; status: number; detail: string };

export type RetryReason = 'timeout' | 'network' | 'server_error' | 'request_timeout' | 'rate_limited';

export interface WebhookRequest {
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  /** The exact bytes that are signed and sent; stored once, so every retry sends the same body. */
  body: string;
  attempt: number;
}

export const USER_AGENT = 'Dispatch-for-Slack-Webhooks/1';

/** Retry-After is seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function classify(status: number, retryAfterMs: number | null): AttemptResult {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  if (status === 429) return { outcome: 'retry', reason: 'rate_limited', status, retryAfterMs, detail: 'HTTP 429' };
  if (status === 408) return { outcome: 'retry', reason: 'request_timeout', status, retryAfterMs, detail: 'HTTP 408' };
  if (status >= 500) return { outcome: 'retry', reason: 'server_error', status, retryAfterMs, detail: `HTTP ${status}` };
  return { outcome: 'rejected', status, detail: `HTTP ${status}` };
}

/** Read by shape: an AbortSignal's DOMException may come from another realm (jest) and fail instanceof. */
function isTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}

/**
 * Posts signed webhooks over undici, each within a deadline (connect, headers and body alike).
 * Redirects are not followed: a moved endpoint is a setting to fix, not a place to sign for.
 */
export class WebhookClient {
  private readonly agent: Agent;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.agent = new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  async send(webhook: WebhookRequest): Promise<AttemptResult> {
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const response = await request(webhook.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-dispatch-event': webhook.eventType,
          'x-dispatch-event-id': webhook.eventId,
          'x-dispatch-attempt': String(webhook.attempt),
          [TIMESTAMP_HEADER.toLowerCase()]: String(timestamp),
          [SIGNATURE_HEADER.toLowerCase()]: sign(webhook.secret, timestamp, webhook.body),
        },
        body: webhook.body,
      });
      // The answer's body means nothing to us; read a little so the connection can be reused.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return classify(response.statusCode, parseRetryAfter(response.headers['retry-after'], this.now()));
    } catch (error) {
      if (isTimeout(error)) {
        return { outcome: 'retry', reason: 'timeout', status: null, retryAfterMs: null, detail: `no answer within ${this.timeoutMs} ms` };
      }
      const code = (error as { code?: unknown }).code;
      const message = (error as { message?: unknown }).message;
      const detail = typeof code === 'string' ? code : typeof message === 'string' ? message : String(error);
      return { outcome: 'retry', reason: 'network', status: null, retryAfterMs: null, detail };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
