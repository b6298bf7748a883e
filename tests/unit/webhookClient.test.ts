import { WebhookClient } from '../../webhooks/client';
import { WebhookReceiver } from '../support/webhookReceiver';

const SECRET = 'client-test-secret-0123456789';

describe('WebhookClient', () => {
  let receiver: WebhookReceiver;
  const client = new WebhookClient(300);

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.stop());
  afterAll(() => client.close());

  const send = (attempt = 1) =>
    client.send({
      url: receiver.url('/in'),
      secret: SECRET,
      eventId: 'evt_1',
      eventType: 'incident.reported',
      body: JSON.stringify({ id: 'evt_1', type: 'incident.reported' }),
      attempt,
    });

  test('posts the exact body, signed, with the event id and type in headers', async () => {
    await expect(send()).resolves.toEqual({ outcome: 'delivered', status: 200 });
    const [webhook] = receiver.received;
    expect(webhook.path).toBe('/in');
    expect(webhook.body).toBe('{"id":"evt_1","type":"incident.reported"}');
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(webhook.headers['x-dispatch-event-id']).toBe('evt_1');
    expect(webhook.headers['x-dispatch-event']).toBe('incident.reported');
    expect(webhook.headers['x-dispatch-attempt']).toBe('1');
    expect(Math.abs(Number(webhook.headers['x-dispatch-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
    expect(WebhookReceiver.hasValidSignature(webhook, 'another-secret-0123456789')).toBe(false);
  });

  test.each([
    [500, 'server_error'],
    [503, 'server_error'],
    [408, 'request_timeout'],
  ])('HTTP %i is worth retrying', async (status, reason) => {
    receiver.respondWith(() => ({ status }));
    await expect(send()).resolves.toMatchObject({ outcome: 'retry', reason, status });
  });

  test('429 is retried after the Retry-After it gives, in seconds or as a date', async () => {
    receiver.respondWith(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    await expect(send()).resolves.toMatchObject({ outcome: 'retry', reason: 'rate_limited', retryAfterMs: 7_000 });
    receiver.respondWith(() => ({ status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } }));
    const result = await send();
    expect(result.outcome === 'retry' && result.retryAfterMs).toBeGreaterThan(55_000);
  });

  test.each([400, 401, 404, 410, 422, 301])('HTTP %i is not retried', async (status) => {
    receiver.respondWith(() => ({ status }));
    await expect(send()).resolves.toMatchObject({ outcome: 'rejected', status });
  });

  test('an endpoint that does not answer in time is a timeout, retried', async () => {
    receiver.respondWith(() => ({ status: 200, delayMs: 2_000 }));
    const started = Date.now();
    await expect(send()).resolves.toMatchObject({ outcome: 'retry', reason: 'timeout', status: null });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('an endpoint that is down is a network error, retried', async () => {
    const url = receiver.url('/in');
    await receiver.stop();
    const result = await client.send({ url, secret: SECRET, eventId: 'e', eventType: 'task.created', body: '{}', attempt: 1 });
    expect(result).toMatchObject({ outcome: 'retry', reason: 'network', detail: 'ECONNREFUSED' });
    receiver = await WebhookReceiver.start();
  });
});
