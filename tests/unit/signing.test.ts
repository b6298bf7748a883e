import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { SLACK_FIXTURES_DIR } from '../support/payloads';
import { signedHeaders, slackSignature } from '../support/signing';

// Slack's documented signing example (DESIGN.md, "The Slack contract").
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const EXPECTED = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
// Read as bytes and decoded once: the signature covers the raw body exactly as sent.
const BODY = readFileSync(join(SLACK_FIXTURES_DIR, 'signature_vector_body.form')).toString('utf8');
// Bolt refuses timestamps more than 5 minutes from "now"; verify as if it were 2018.
const THEN_MS = TIMESTAMP * 1000 + 10_000;

function boltAccepts(body: string, signature: string, timestamp = TIMESTAMP, secret = SECRET): boolean {
  return isValidSlackRequest({
    signingSecret: secret,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: THEN_MS,
  });
}

describe('signing requests as Slack does (tests/support/signing.ts)', () => {
  test("reproduces Slack's documented example", () => {
    expect(BODY.startsWith('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J')).toBe(true);
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(EXPECTED);
    expect(slackSignature(SECRET, String(TIMESTAMP), BODY)).toBe(EXPECTED);
  });

  test('the example body is used byte for byte (no trailing newline added or lost)', () => {
    const bytes = readFileSync(join(SLACK_FIXTURES_DIR, 'signature_vector_body.form'));
    expect(Buffer.from(BODY, 'utf8').equals(bytes)).toBe(true);
    expect(slackSignature(SECRET, TIMESTAMP, `${BODY}\n`)).not.toBe(EXPECTED);
  });

  test("Bolt's own verifier accepts our signature of the example", () => {
    expect(boltAccepts(BODY, slackSignature(SECRET, TIMESTAMP, BODY))).toBe(true);
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: BODY,
        headers: { 'x-slack-signature': EXPECTED, 'x-slack-request-timestamp': TIMESTAMP },
        nowMilliseconds: THEN_MS,
      }),
    ).not.toThrow();
  });

  test("Bolt's verifier rejects a tampered body, a wrong secret, a changed timestamp and a stale request", () => {
    const tampered = BODY.replace('user_name=roadrunner', 'user_name=coyote');
    expect(tampered).not.toBe(BODY);
    expect(boltAccepts(tampered, EXPECTED)).toBe(false);
    expect(boltAccepts(BODY, slackSignature('another-secret-entirely-0000', TIMESTAMP, BODY))).toBe(false);
    expect(boltAccepts(BODY, EXPECTED, TIMESTAMP + 1)).toBe(false);
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: BODY,
        headers: { 'x-slack-signature': EXPECTED, 'x-slack-request-timestamp': TIMESTAMP },
        nowMilliseconds: THEN_MS + 6 * 60 * 1000,
      }),
    ).toThrow(/stale|timestamp/i);
  });

  test('signedHeaders signs a fresh request that Bolt accepts now', () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
    const headers = signedHeaders('a-fresh-signing-secret-1234', body);
    const timestamp = Number(headers['x-slack-request-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(
      isValidSlackRequest({
        signingSecret: 'a-fresh-signing-secret-1234',
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': timestamp },
      }),
    ).toBe(true);
  });
});
