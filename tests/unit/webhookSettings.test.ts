import { loadSettings, type Settings, SettingsError } from '../../config';
import { displayUrl, secretFor } from '../../config/webhooks';

const REQUIRED: Record<string, string> = {
  SLACK_APP_USER_SLUG: 'A0APPTEST1',
  SLACK_WORKSPACE_NAME: 'acme',
  SLACK_API_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
};
const SHARED = 'shared-secret-0123456789';
const OWN = 'own-secret-abcdefghijklmn';

const load = (env: Record<string, string>): Settings => loadSettings({ ...REQUIRED, ...env });

function refusal(env: Record<string, string>): SettingsError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error(`expected the settings to be refused: ${JSON.stringify(env)}`);
}

describe('webhook settings', () => {
  test('none by default: no endpoint, a 10 s timeout, retried for 24 h', () => {
    const { webhooks } = load({});
    expect(webhooks.endpoints).toEqual([]);
    expect(webhooks.secret).toBeNull();
    expect(webhooks.timeoutMs).toBe(10_000);
    expect(webhooks.retryWindowMs).toBe(24 * 3_600_000);
    expect(webhooks.failureChannel).toBeNull();
  });

  test('endpoints with options: event filters (with families), restricted opt-in, plain http on loopback', () => {
    const { webhooks } = load({
      WEBHOOK_URLS:
        'https://status.example.com/hook events=incident.*|status_report.posted, https://siem.example.com/in restricted,http://127.0.0.1:8080/local',
      WEBHOOK_SECRET: SHARED,
      WEBHOOK_FAILURE_CHANNEL: 'C0ADMINS01',
    });
    expect(webhooks.endpoints).toEqual([
      {
        url: 'https://status.example.com/hook',
        eventTypes: [
          'incident.reported',
          'incident.status_changed',
          'incident.updated',
          'incident.closed',
          'incident.reopened',
          'status_report.posted',
        ],
        includeRestricted: false,
      },
      { url: 'https://siem.example.com/in', eventTypes: null, includeRestricted: true },
      { url: 'http://127.0.0.1:8080/local', eventTypes: null, includeRestricted: false },
    ]);
    expect(webhooks.failureChannel).toBe('C0ADMINS01');
    expect(secretFor(webhooks, 'https://siem.example.com/in')).toBe(SHARED);
  });

  test('a secret per endpoint, in order; an empty entry falls back to the shared one', () => {
    const { webhooks } = load({
      WEBHOOK_URLS: 'https://a.example.com/hook,https://b.example.com/hook',
      WEBHOOK_SECRETS: `${OWN},`,
      WEBHOOK_SECRET: SHARED,
    });
    expect(secretFor(webhooks, 'https://a.example.com/hook')).toBe(OWN);
    expect(secretFor(webhooks, 'https://b.example.com/hook')).toBe(SHARED);
    expect(secretFor(webhooks, 'https://elsewhere.example.com/')).toBeNull();
  });

  test.each([
    [
      'plain http outside loopback',
      { WEBHOOK_URLS: 'http://status.example.com/hook', WEBHOOK_SECRET: SHARED },
      /WEBHOOK_URLS is not valid: endpoint 1 .*must use https/,
    ],
    ['not a URL', { WEBHOOK_URLS: 'status.example.com', WEBHOOK_SECRET: SHARED }, /WEBHOOK_URLS is not valid: endpoint 1 is not a URL/],
    ['another scheme', { WEBHOOK_URLS: 'ftp://status.example.com/x', WEBHOOK_SECRET: SHARED }, /must be an https:\/\/ URL/],
    [
      'an unknown event type',
      { WEBHOOK_URLS: 'https://a.example.com events=incident.deleted', WEBHOOK_SECRET: SHARED },
      /unknown event type "incident\.deleted"/,
    ],
    [
      'an unknown family',
      { WEBHOOK_URLS: 'https://a.example.com events=ticket.*', WEBHOOK_SECRET: SHARED },
      /unknown event type "ticket\.\*"/,
    ],
    ['an unknown option', { WEBHOOK_URLS: 'https://a.example.com retries=3', WEBHOOK_SECRET: SHARED }, /unknown option "retries=3"/],
    [
      'the same endpoint twice',
      { WEBHOOK_URLS: 'https://a.example.com/x,https://a.example.com/x', WEBHOOK_SECRET: SHARED },
      /endpoint 2 .*listed twice/,
    ],
    [
      'no secret at all',
      { WEBHOOK_URLS: 'https://a.example.com/x' },
      /WEBHOOK_SECRET is missing: the endpoints of WEBHOOK_URLS need a signing secret/,
    ],
    [
      'a short secret',
      { WEBHOOK_URLS: 'https://a.example.com/x', WEBHOOK_SECRET: 'short' },
      /WEBHOOK_SECRET is not valid: the secret must be at least 16 characters/,
    ],
    [
      'secrets that do not match the endpoints',
      { WEBHOOK_URLS: 'https://a.example.com/x,https://b.example.com/x', WEBHOOK_SECRETS: OWN },
      /WEBHOOK_SECRETS is not valid: it has 1 secret for 2 endpoints/,
    ],
    [
      'an endpoint left without a secret',
      { WEBHOOK_URLS: 'https://a.example.com/x,https://b.example.com/x', WEBHOOK_SECRETS: `${OWN},` },
      /endpoint 2 of WEBHOOK_URLS needs a signing secret/,
    ],
    ['a failure channel that is not a channel', { WEBHOOK_FAILURE_CHANNEL: '#incidents' }, /WEBHOOK_FAILURE_CHANNEL is not valid/],
    ['a timeout that is not a duration', { WEBHOOK_TIMEOUT: 'soon' }, /WEBHOOK_TIMEOUT is not valid/],
  ])('refuses %s at boot, in the one settings message', (_case, env, expected) => {
    const error = refusal(env);
    expect(error.message).toMatch(/^Dispatch for Slack cannot start/);
    expect(error.message).toMatch(expected);
  });

  test('every webhook problem in one message, and no secret in it', () => {
    const leaked = `not a secret ${'x'.repeat(20)}`;
    const error = refusal({ WEBHOOK_URLS: 'http://a.example.com/x', WEBHOOK_SECRET: leaked, WEBHOOK_TIMEOUT: 'never' });
    expect(error.problems.map((problem) => problem.setting).sort()).toEqual(['WEBHOOK_SECRET', 'WEBHOOK_TIMEOUT', 'WEBHOOK_URLS']);
    expect(error.message).not.toContain(leaked);
  });

  test('URLs are shown without credentials or query strings', () => {
    expect(displayUrl('https://user:pw@hooks.example.com/in?token=abc')).toBe('https://hooks.example.com/in?…');
  });
});
