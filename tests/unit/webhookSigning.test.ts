import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backoffDelay, decideRetry } from '../../webhooks/retryPolicy';
import { sign, verify } from '../../webhooks/signing';

/** The test vector README.md and docs/webhooks.md publish for receivers. */
const VECTOR = {
  secret: 'whsec-example-0123456789abcdef',
  timestamp: 1780000000,
  body: '{"id":"evt_0b7c5f0e-2f4a-4d39-9a51-3c1f2f7e8d10","type":"incident.reported"}',
  signature: 'v1=6effd8d0acb435a6472a3efbd06d4954c49832d8cde99920ffa2bd83496b28a9',
};

describe('webhook signatures', () => {
  test('match the published test vector', () => {
    expect(sign(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(verify(VECTOR.secret, VECTOR.timestamp, VECTOR.body, VECTOR.signature)).toBe(true);
  });

  test('are HMAC-SHA256 of "v1:" + timestamp + ":" + body, as a receiver computes it', () => {
    const expected = createHmac('sha256', VECTOR.secret).update(`v1:${VECTOR.timestamp}:${VECTOR.body}`).digest('hex');
    expect(VECTOR.signature).toBe(`v1=${expected}`);
  });

  test('fail for another body, another timestamp or another secret', () => {
    expect(verify(VECTOR.secret, VECTOR.timestamp, `${VECTOR.body} `, VECTOR.signature)).toBe(false);
    expect(verify(VECTOR.secret, VECTOR.timestamp + 1, VECTOR.body, VECTOR.signature)).toBe(false);
    expect(verify('another-secret-0123456789', VECTOR.timestamp, VECTOR.body, VECTOR.signature)).toBe(false);
    expect(verify(VECTOR.secret, VECTOR.timestamp, VECTOR.body, 'v1=short')).toBe(false);
  });

  test('the README and docs/webhooks.md publish the same vector', () => {
    for (const file of ['README.md', 'docs/webhooks.md']) {
      const text = readFileSync(join(__dirname, '../..', file), 'utf8');
      for (const part of [VECTOR.secret, String(VECTOR.timestamp), VECTOR.body, VECTOR.signature]) expect(text).toContain(part);
    }
  });
});

describe('webhook retry policy', () => {
  const policy = { firstDelayMs: 10_000, maxDelayMs: 3_600_000, windowMs: 86_400_000 };

  test('doubles the wait each attempt, with jitter in the upper half of each step, up to the cap', () => {
    expect([1, 2, 3, 4].map((attempts) => backoffDelay(policy, attempts, () => 0))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect([1, 2, 3, 4].map((attempts) => backoffDelay(policy, attempts, () => 1))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffDelay(policy, 30, () => 1)).toBe(3_600_000);
  });

  test('takes Retry-After as given, and gives up when the next try falls outside the window', () => {
    expect(decideRetry(policy, { attempts: 1, firstAttemptAt: 0, now: 1_000, retryAfterMs: 120_000 })).toEqual({
      retry: true,
      delayMs: 120_000,
    });
    expect(decideRetry(policy, { attempts: 9, firstAttemptAt: 0, now: 86_000_000, retryAfterMs: null }, () => 0.5)).toEqual({
      retry: false,
      reason: 'retry window exhausted',
    });
  });
});
