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
