import { register } from 'prom-client';
import type { IncidentEvent } from '../../incidents/incidentEvents';
import { runWebhooksCommand } from '../../scripts/webhooks';
import { WebhookOutbox } from '../../webhooks/outbox';
import { FakeSlack } from '../support/fakeSlack';
import { APP_ID, TestApp } from '../support/testApp';
import { EXAMPLE_EVENTS } from '../support/webhookExamples';
import { type ReceivedWebhook, WebhookReceiver } from '../support/webhookReceiver';

/**
 * Delivery itself, against a receiver on 127.0.0.1: events are recorded through the outbox in a
 * transaction (as the domain records them), then the app's work queue sends them.
 */
const SECRET = 'delivery-test-secret-0123456789';
const ADMIN_CHANNEL = 'C0ADMINS01';

const example = (type: IncidentEvent['type']): IncidentEvent => {
  const event = EXAMPLE_EVENTS.find((candidate) => candidate.type === type);
  if (!event) throw new Error(type);
  return event;
};

const onIncident = (event: IncidentEvent, incidentId: number, changes: Partial<IncidentEvent['incident']> = {}): IncidentEvent => ({
  ...event,
  incident: { ...event.incident, id: incidentId, name: `dispatch-${incidentId}`, ...changes },
});

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const found = (await register.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = found?.values.find((entry) => Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted));
  return Number(value?.value ?? 0);
}

describe('webhook delivery', () => {
  let fake: FakeSlack;
  let receiver: WebhookReceiver;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
    fake.addChannel({ id: ADMIN_CHANNEL, name: 'dispatch-admins' });
  });
  afterAll(() => fake.stop());

  /** Starts a receiver, then the app with settings that may point at it. */
  async function start(env: (started: WebhookReceiver) => Record<string, string> = () => ({})) {
    receiver = await WebhookReceiver.start();
    app = await TestApp.start({
      fake,
      env: {
        WEBHOOK_URLS: `${receiver.url('/all')}, ${receiver.url('/restricted')} restricted, ${receiver.url('/tasks')} events=task.*`,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_RETRY_FIRST_DELAY: '200ms',
        WEBHOOK_TIMEOUT: '500ms',
        WEBHOOK_FAILURE_CHANNEL: ADMIN_CHANNEL,
        ...env(receiver),
      },
    });
  }

  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  /** Records events in one transaction, as a change of the domain does, and lets the worker know. */
  async function record(...events: IncidentEvent[]): Promise<void> {
    const { store, settings, links, work } = app.deps;
    await store.transaction(async (tx) => {
      const outbox = new WebhookOutbox(tx.workQueue, settings.webhooks.endpoints, (channel) => links.channel(channel));
      for (const event of events) await outbox.record(event);
    });
    work.wake();
  }

  const at = (path: string) => receiver.received.filter((webhook) => webhook.path === path);

  test('an event reaches each endpoint that wants it, signed, with its id, type and the incident', async () => {
    await start();
    await record(example('incident.reported'), example('task.created'));
    await receiver.waitFor(() => receiver.delivered.length === 5);
    await app.settle();
    expect(at('/all').map((webhook) => webhook.payload.type)).toEqual(['incident.reported', 'task.created']);
    expect(at('/restricted').map((webhook) => webhook.payload.type)).toEqual(['incident.reported', 'task.created']);
    expect(at('/tasks').map((webhook) => webhook.payload.type)).toEqual(['task.created']);
    for (const webhook of receiver.received) {
      expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
      expect(webhook.headers['x-dispatch-event-id']).toBe(webhook.payload.id);
      expect(webhook.headers['x-dispatch-event']).toBe(webhook.payload.type);
      expect(webhook.payload.incident.name).toBe('dispatch-42');
    }
    // One event, one id, whichever endpoint it went to.
    const taskIds = new Set(
      receiver.received.filter((webhook) => webhook.payload.type === 'task.created').map((webhook) => webhook.payload.id),
    );
    expect(taskIds.size).toBe(1);
    expect(await metric('dispatch_webhook_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(5);
    const exposed = await (await fetch(`${app.url}/metrics`)).text();
    expect(exposed).toMatch(/dispatch_webhook_deliveries_total\{outcome="delivered"\} \d+/);
    expect(exposed).toMatch(/dispatch_webhook_attempts_total\{result="delivered"\} \d+/);
  });

  test('a restricted incident goes only to the endpoint that opted in, carrying its visibility', async () => {
    await start();
    await record(onIncident(example('incident.reported'), 43, { visibility: 'restricted' }));
    await receiver.waitFor(() => receiver.delivered.length === 1);
    await app.settle();
    expect(receiver.received.map((webhook) => webhook.path)).toEqual(['/restricted']);
    expect(receiver.received[0].payload.incident.visibility).toBe('restricted');
  });

  test('500s are retried with growing waits, the same id and body each time, until one is taken', async () => {
    await start((started) => ({ WEBHOOK_URLS: started.url('/flaky') }));
    receiver.respondWith(({ attemptOfEvent }) => ({ status: attemptOfEvent <= 4 ? 500 : 200 }));
    await record(example('incident.closed'));
    await receiver.waitFor(() => receiver.delivered.length === 1, 15_000);
    const attempts = receiver.received;
    expect(attempts.map((webhook) => webhook.status)).toEqual([500, 500, 500, 500, 200]);
    expect(attempts.map((webhook) => webhook.headers['x-dispatch-attempt'])).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(attempts.map((webhook) => webhook.body)).size).toBe(1);
    for (const webhook of attempts) expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
    const gaps = attempts.slice(1).map((webhook, index) => webhook.receivedAt - attempts[index].receivedAt);
    // Waits of 100-200, 200-400, 400-800, 800-1600 ms: each at least half its doubling step.
    for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(100 * 2 ** index - 20);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
  });

  test('an endpoint that does not answer in time is tried again', async () => {
    await start((started) => ({ WEBHOOK_URLS: started.url('/slow') }));
    receiver.respondWith(({ attemptOfEvent }) => (attemptOfEvent === 1 ? { status: 200, delayMs: 3_000 } : { status: 200 }));
    await record(example('status_report.posted'));
    await receiver.waitFor(() => receiver.delivered.length === 1, 10_000);
    expect(receiver.received.map((webhook) => webhook.headers['x-dispatch-attempt'])).toEqual(['1', '2']);
    expect(receiver.received[0].answered).toBe(false);
    expect(await metric('dispatch_webhook_attempts_total', { result: 'timeout' })).toBeGreaterThanOrEqual(1);
  });

  test('a 429 is tried again after its Retry-After', async () => {
    await start((started) => ({ WEBHOOK_URLS: started.url('/limited') }));
    receiver.respondWith(({ attemptOfEvent }) =>
      attemptOfEvent === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    await record(example('task.resolved'));
    await receiver.waitFor(() => receiver.delivered.length === 1, 10_000);
    const [limited, taken] = receiver.received;
    expect(limited.status).toBe(429);
    expect(taken.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(1_950);
  });

  test('a 400 is not retried: the delivery fails at once, is logged once, counted, told to the admin channel and listed', async () => {
    await start((started) => ({ WEBHOOK_URLS: `${started.url('/strict')}?token=query-secret` }));
    receiver.respondWith(() => ({ status: 400 }));
    const failedBefore = await metric('dispatch_webhook_deliveries_total', { outcome: 'failed' });
    await record(example('oncall.engaged'));
    await receiver.waitFor(() => receiver.received.length === 1);
    const notice = await fake.waitForCall('chat.postMessage', (call) => call.args.channel === ADMIN_CHANNEL, 5_000);
    await app.settle();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.received).toHaveLength(1);
    expect(String(notice.args.text)).toContain('oncall.engaged');
    expect(JSON.stringify(notice.args.blocks)).toContain('HTTP 400');
    expect(JSON.stringify(notice.args)).not.toContain('query-secret');
    expect(await metric('dispatch_webhook_deliveries_total', { outcome: 'failed' })).toBe(failedBefore + 1);

    const failureLogs = app.logs.filter((line) => line.includes('failed for good'));
    expect(failureLogs).toHaveLength(1);
    expect(failureLogs[0]).toContain(`http://127.0.0.1:${receiver.port}/strict?…`);
    expect(app.logs.join('\n')).not.toContain(SECRET);
    expect(app.logs.join('\n')).not.toContain('query-secret');

    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await runWebhooksCommand(app.deps.store, ['list-failed'], output)).toBe(0);
    const row = lines.find((line) => line.includes('oncall.engaged'));
    expect(row).toContain('HTTP 400');
    expect(row).not.toContain('query-secret');
    const id = row?.split('\t')[0] ?? '';

    // Fixed: the redelivery goes out with the same event id and body.
    receiver.respondWith(() => ({ status: 200 }));
    lines.length = 0;
    expect(await runWebhooksCommand(app.deps.store, ['redeliver', id], output)).toBe(0);
    expect(lines[0]).toContain('queued again');
    app.deps.work.wake();
    await receiver.waitFor(() => receiver.delivered.length === 1, 5_000);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    expect(receiver.received[1].headers['x-dispatch-attempt']).toBe('1');
    lines.length = 0;
    await runWebhooksCommand(app.deps.store, ['list-failed'], output);
    expect(lines).toEqual(['No failed webhook deliveries.']);
    expect(await runWebhooksCommand(app.deps.store, ['redeliver', id], output)).toBe(1);
    expect(await runWebhooksCommand(app.deps.store, ['redeliver', '999999'], output)).toBe(1);
    expect(await runWebhooksCommand(app.deps.store, ['resend'], output)).toBe(2);
  });

  test('retried 5xx are given up on once the retry window is over', async () => {
    await start((started) => ({ WEBHOOK_URLS: started.url('/down'), WEBHOOK_RETRY_WINDOW: '1500ms' }));
    receiver.respondWith(() => ({ status: 503 }));
    await record(example('followup.created'));
    await fake.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === ADMIN_CHANNEL && String(call.args.text).includes('followup'),
      8_000,
    );
    const attempts = receiver.received.length;
    expect(attempts).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.received).toHaveLength(attempts);
    expect(app.logs.filter((line) => line.includes('failed for good') && line.includes('no success within the retry window'))).toHaveLength(
      1,
    );
  });

  test('in order per incident: a later event waits for an earlier one that is being retried; other incidents do not', async () => {
    await start((started) => ({ WEBHOOK_URLS: started.url('/ordered') }));
    const first = onIncident(example('incident.reported'), 50);
    receiver.respondWith(({ payload, attemptOfEvent }) => ({
      status: payload.type === 'incident.reported' && payload.incident.id === 50 && attemptOfEvent <= 2 ? 500 : 200,
    }));
    await record(first);
    await record(onIncident(example('task.created'), 50), onIncident(example('incident.reported'), 51));
    await record(onIncident(example('incident.closed'), 50));
    await receiver.waitFor(() => receiver.delivered.length === 4, 10_000);
    const delivered = (incident: number) =>
      receiver.delivered.filter((webhook) => webhook.payload.incident.id === incident).map((webhook) => webhook.payload.type);
    expect(delivered(50)).toEqual(['incident.reported', 'task.created', 'incident.closed']);
    const position = (webhook: ReceivedWebhook | undefined) => (webhook ? receiver.received.indexOf(webhook) : -1);
    const other = receiver.received.find((webhook) => webhook.payload.incident.id === 51);
    const firstTaken = receiver.delivered.find((webhook) => webhook.payload.incident.id === 50);
    // Incident 51 was not held back by incident 50's retries.
    expect(position(other)).toBeLessThan(position(firstTaken));
  });
});
