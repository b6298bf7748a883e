/**
 * When to try a webhook again: exponential backoff with jitter, or exactly what the endpoint asked
 * for with Retry-After, until the retry window (24 h by default) from the first attempt runs out.
 */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export const DEFAULT_FIRST_DELAY_MS = 10_000;
export const DEFAULT_MAX_DELAY_MS = 3_600_000;

/**
 * The wait before attempt `attempts + 1`. "Equal jitter": half the exponential step is fixed,
 * half random, so endpoints that came back are not hit by every replica at once, and the wait
 * still grows.
 */
export function backoffDelay(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'retry window exhausted' };

/** Whether another attempt fits in the window, and after how long. */
export function decideRetry(
  policy: RetryPolicy,
  input: { attempts: number; firstAttemptAt: number; now: number; retryAfterMs: number | null },
  random: () => number = Math.random,
): RetryDecision {
  const delayMs = input.retryAfterMs ?? backoffDelay(policy, input.attempts, random);
  if (input.now + delayMs > input.firstAttemptAt + policy.windowMs) return { retry: false, reason: 'retry window exhausted' };
  return { retry: true, delayMs };
}
