import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Dispatch-Signature';
export const TIMESTAMP_HEADER = 'X-Dispatch-Timestamp';

/**
 * `v1=` + hex HMAC-SHA256 of `v1:TIMESTAMP:BODY` under the endpoint's secret: Slack's scheme with
 * our prefix, so a receiver verifies it the way it verifies Slack. The timestamp (Unix seconds)
 * is signed too, so a captured request cannot be replayed later.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${body}`).digest('hex')}`;
}

/** Constant-time check of a signature (for receivers written in Node, and for our tests). */
export function verify(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
