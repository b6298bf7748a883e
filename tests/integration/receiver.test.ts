import { connect } from 'node:net';
import { readSample } from '../support/payloads';
import { TestApp } from '../support/testApp';

describe('the HTTP receiver', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.stop();
  });

  test('GET /healthz answers 200 once the store answers', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test.each(['/api/v1/events/slack/event', '/api/v1/events/slack/command', '/api/v1/events/slack/action', '/api/v1/events/slack/menu'])(
    '%s echoes a url_verification challenge',
    async (path) => {
      const sample = JSON.parse(readSample('url_verification.json')) as { challenge: string };
      const answer = await app.post(path, JSON.stringify(sample), { contentType: 'application/json' });
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ challenge: sample.challenge });
    },
  );

  test('a bad signature gets 401', async () => {
    const body = readSample('url_verification.json');
    const answer = await app.post('/api/v1/events/slack/event', body, {
      contentType: 'application/json',
      headers: { 'x-slack-signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
    });
    expect(answer.status).toBe(401);
  });

  test('an unsigned request gets 401', async () => {
    const answer = await app.post('/api/v1/events/slack/event', readSample('url_verification.json'), {
      contentType: 'application/json',
      unsigned: true,
    });
    expect(answer.status).toBe(401);
  });

  test('a timestamp older than 5 minutes gets 401, even correctly signed', async () => {
    const answer = await app.post('/api/v1/events/slack/event', readSample('url_verification.json'), {
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(answer.status).toBe(401);
  });

  test.each([
    ['broken JSON', '{"type": "event_callback", ', 'application/json'],
    ['a form payload that is not JSON', 'payload=%7Bnot-json', 'application/x-www-form-urlencoded'],
  ])('%s gets a 4xx and the app keeps answering', async (_name, body, contentType) => {
    const answer = await app.post('/api/v1/events/slack/action', body, { contentType });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  test('an unknown path gets 404', async () => {
    const answer = await app.post('/slack/events', '{}', { contentType: 'application/json' });
    expect(answer.status).toBe(404);
  });
});

/** Sends raw bytes and returns the status line's code (for request targets fetch cannot send). */
function rawStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.setTimeout(5_000, () => reject(new Error('no answer')));
  });
}

describe('odd requests get a 4xx at once and the app keeps serving', () => {
  const PATHS = ['/api/v1/events/slack/event', '/api/v1/events/slack/command', '/api/v1/events/slack/action', '/api/v1/events/slack/menu'];
  let app: TestApp;
  beforeAll(async () => {
    // PUBLIC_URL serves chart images under /charts/:token, a route with a parameter.
    app = await TestApp.start({ env: { PUBLIC_URL: 'https://dispatch.example.com' } });
  });
  afterAll(async () => {
    await app.stop();
  });
  afterEach(async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const cases: Array<[string, string, string]> = [
    ['JSON null', 'null', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['a JSON string', '"event_callback"', 'application/json'],
    ['a JSON array', '[{"type":"event_callback"}]', 'application/json'],
    ['payload=null', form({ payload: 'null' }), 'application/x-www-form-urlencoded'],
    ['payload=[]', form({ payload: '[]' }), 'application/x-www-form-urlencoded'],
    [
      'an unknown interaction type',
      form({ payload: JSON.stringify({ type: 'something_new', user: { id: 'U0ALICE001' } }) }),
      'application/x-www-form-urlencoded',
    ],
    [
      'block_actions without actions',
      form({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0ALICE001' } }) }),
      'application/x-www-form-urlencoded',
    ],
    [
      'a view_submission without a view',
      form({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'U0ALICE001' } }) }),
      'application/x-www-form-urlencoded',
    ],
    [
      'a command without command',
      form({ user_id: 'U0ALICE001', channel_id: 'C0GENERAL1', text: 'hello' }),
      'application/x-www-form-urlencoded',
    ],
    ['a command given twice', 'command=%2Fdispatch&command=%2Fdispatch&user_id=U0ALICE001', 'application/x-www-form-urlencoded'],
    ['an empty object', '{}', 'application/json'],
    [
      'an event_callback whose event is null',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev0NULL', event: null }),
      'application/json',
    ],
    [
      'an event_callback whose event is a string',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev0STR', event: 'reaction_added' }),
      'application/json',
    ],
    [
      'an event whose item is null',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev0ITEM', event: { type: 'reaction_added', item: null } }),
      'application/json',
    ],
    [
      'an event without event_id',
      JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U0ALICE001' } }),
      'application/json',
    ],
    ['a url_verification without a challenge', JSON.stringify({ type: 'url_verification' }), 'application/json'],
    ['JSON nested 5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
    ['an object nested 200 deep', `${'{"a":'.repeat(200)}1${'}'.repeat(200)}`, 'application/json'],
  ];

  test.each(cases)('%s: 400 on every path, without waiting for Bolt', async (_name, body, contentType) => {
    for (const path of PATHS) {
      const answer = await app.post(path, body, { contentType });
      expect(answer.status).toBe(400);
      expect(answer.elapsedMs).toBeLessThan(1_000);
      expect(answer.text).not.toMatch(/\bat \S+ \(|Error:/);
    }
  });

  test('a body over 1 MB gets 413', async () => {
    const answer = await app.post(PATHS[0] as string, JSON.stringify({ type: 'event_callback', padding: 'x'.repeat(1_100_000) }), {
      contentType: 'application/json',
    });
    expect(answer.status).toBe(413);
  });

  test('a request target that is not a URL gets 400, not 500', async () => {
    const port = app.running.port as number;
    expect(await rawStatus(port, 'POST http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n')).toBe(400);
    expect(await rawStatus(port, 'GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(400);
  });

  test('a malformed escape in a routed path gets 4xx, and the app keeps serving', async () => {
    const port = app.running.port as number;
    for (const target of ['/charts/%zz', '/charts/%E0%A4%A', '/healthz%zz']) {
      const status = await rawStatus(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
  });

  test('a GET to a Slack path gets 405', async () => {
    const response = await fetch(`${app.url}/api/v1/events/slack/event`);
    expect(response.status).toBe(405);
  });

  test.each([
    ['6 minutes in the future', 6 * 60, 401],
    ['6 minutes in the past', -6 * 60, 401],
    ['4 minutes in the future', 4 * 60, 200],
    ['4 minutes in the past', -4 * 60, 200],
  ])('a correctly signed timestamp %s (%i s off) gets %i', async (_name, offsetSeconds, status) => {
    const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;
    for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
      const body =
        contentType === 'application/json'
          ? readSample('url_verification.json')
          : form({ command: '/dispatch-not-served', user_id: 'U0ALICE001', channel_id: 'C0GENERAL1', text: '' });
      const answer = await app.post(PATHS[1] as string, body, { contentType, timestamp });
      expect(answer.status).toBe(status);
    }
  });

  test("Slack's unsigned ssl_check is answered 200", async () => {
    const answer = await app.post(PATHS[1] as string, form({ ssl_check: '1', token: 'x' }), { unsigned: true });
    expect(answer.status).toBe(200);
  });
});
