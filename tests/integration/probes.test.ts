import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { register } from 'prom-client';
import { probeRoutes, Readiness, trackSocketConnection } from '../../server/probes';
import type { Store } from '../../store';
import { reportIncident } from '../support/incidentFlow';
import { channelMessage } from '../support/payloads';
import { TestApp } from '../support/testApp';

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe('/healthz, /readyz and /metrics', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await TestApp.start();
  });
  afterEach(() => app.stop());

  const get = (path: string) => fetch(`${app.url}${path}`);

  test('/readyz is 200 with each check named once the app is up', async () => {
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok', slack_identity: 'ok', draining: 'ok' } });
    expect((await get('/healthz')).status).toBe(200);
  });

  test('/readyz and /healthz are 503 when the database does not answer', async () => {
    await app.deps.store.close();
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { database: 'the database does not answer' } });
    expect((await get('/healthz')).status).toBe(503);
  });

  test('/metrics: requests and ack latency per surface, Web API calls, errors and 429s by method, events, work, incidents', async () => {
    await reportIncident(app);
    // A failed and a rate-limited Web API call.
    app.fake.failNext('auth.test', 'invalid_auth');
    await expect(app.deps.gateway.identify()).rejects.toThrow();
    app.fake.rateLimitNext('auth.test', 1);
    await app.deps.gateway.identify();
    // An event, Slack's retry of it (deduplicated), and a fresh event delivered as a retry.
    const event = channelMessage('U0SOMEONE1', 'C0GENERAL1', 'hello');
    await app.event(event, { eventId: 'Ev0METRICS1' });
    await app.event(event, { eventId: 'Ev0METRICS1', retryNum: 1 });
    await app.settle();

    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(register.contentType);
    const text = await response.text();

    expect(sample(text, 'dispatch_slack_requests_total', { surface: 'command' })).toBe(1);
    expect(sample(text, 'dispatch_slack_requests_total', { surface: 'view_submission' })).toBe(1);
    expect(sample(text, 'dispatch_slack_requests_total', { surface: 'event' })).toBe(2);
    expect(sample(text, 'dispatch_slack_ack_seconds_count', { surface: 'command' })).toBe(1);
    expect(sample(text, 'dispatch_slack_ack_seconds_bucket', { surface: 'command', le: '3' })).toBe(1);
    expect(sample(text, 'dispatch_slack_api_calls_total', { method: 'views.open' })).toBe(1);
    expect(sample(text, 'dispatch_slack_api_calls_total', { method: 'conversations.create' })).toBe(1);
    expect(sample(text, 'dispatch_slack_api_errors_total', { method: 'auth.test', error: 'invalid_auth' })).toBe(1);
    expect(sample(text, 'dispatch_slack_api_rate_limited_total', { method: 'auth.test' })).toBe(1);
    expect(sample(text, 'dispatch_slack_events_retried_total')).toBe(1);
    expect(sample(text, 'dispatch_slack_events_deduplicated_total')).toBe(1);
    expect(sample(text, 'dispatch_slack_requests_in_flight')).toBe(0);
    expect(sample(text, 'dispatch_incidents', { status: 'active' })).toBe(1);
    expect(sample(text, 'dispatch_incidents', { status: 'closed' })).toBe(0);
    // Process metrics come with prom-client's defaults; other modules' metrics appear by registering.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE dispatch_work_in_flight gauge');
  }, 30_000);
});

describe('readiness beyond the database', () => {
  const answering = { ping: async () => true } as unknown as Store;

  async function ready(readiness: Readiness): Promise<{ status: number; body: Record<string, unknown> }> {
    const route = probeRoutes(answering, readiness).find((candidate) => candidate.path === '/readyz');
    if (!route) throw new Error('no /readyz route');
    return new Promise((resolve) => {
      let status = 0;
      const response = {
        writeHead(code: number) {
          status = code;
          return response;
        },
        end(text: string) {
          resolve({ status, body: JSON.parse(text) });
        },
      };
      route.handler({} as IncomingMessage, response as unknown as ServerResponse);
    });
  }

  test('not ready while the bot identity is unknown, or while draining', async () => {
    const readiness = new Readiness();
    expect(await ready(readiness)).toMatchObject({
      status: 503,
      body: { checks: { slack_identity: 'the bot identity is not known yet' } },
    });
    readiness.botUserId = 'U0BOT';
    expect((await ready(readiness)).status).toBe(200);
    readiness.draining = true;
    expect(await ready(readiness)).toMatchObject({ status: 503, body: { checks: { draining: 'the app is shutting down' } } });
  });

  test('Socket Mode: ready only while the WebSocket is connected', async () => {
    const readiness = new Readiness();
    readiness.botUserId = 'U0BOT';
    const client = new EventEmitter();
    trackSocketConnection(client, readiness);
    expect(await ready(readiness)).toMatchObject({
      status: 503,
      body: { checks: { socket_mode: 'the Socket Mode connection is not open' } },
    });
    client.emit('connected');
    expect(await ready(readiness)).toMatchObject({ status: 200, body: { checks: { socket_mode: 'ok' } } });
    client.emit('reconnecting');
    expect((await ready(readiness)).status).toBe(503);
  });
});
