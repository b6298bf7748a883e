import { PagerDutyProvider } from '../../oncall/pagerduty';
import { OncallProviderError, UnknownServiceError } from '../../oncall/provider';
import { FakePagerDuty } from '../support/fakePagerDuty';

const AT = new Date('2024-05-06T10:00:00Z');

describe('the PagerDuty provider, against a fake PagerDuty', () => {
  let fake: FakePagerDuty;
  let provider: PagerDutyProvider;
  beforeEach(async () => {
    fake = await FakePagerDuty.start({ token: 'pd-secret-token' });
    provider = new PagerDutyProvider({ apiUrl: fake.apiUrl, eventsUrl: fake.eventsUrl, token: 'pd-secret-token', timeoutMs: 1_000 });
  });
  afterEach(() => fake.stop());

  test('lists every service, page by page (limit 100, offset, more), with the token and the version-2 Accept header', async () => {
    for (let i = 0; i < 250; i += 1) fake.addService(`Service ${String(i).padStart(3, '0')}`);
    const services = await provider.listServices();
    expect(services).toHaveLength(250);
    expect(services[0].name).toBe('Service 000');
    expect(services[249].name).toBe('Service 249');
    const calls = fake.callsTo('/services');
    expect(calls.map((call) => [call.query.limit, call.query.offset])).toEqual([
      [['100'], ['0']],
      [['100'], ['100']],
      [['100'], ['200']],
    ]);
    expect(calls[0].headers.authorization).toBe('Token token=pd-secret-token');
    expect(calls[0].headers.accept).toBe('application/vnd.pagerduty+json;version=2');
  });

  test('finds who is on call now at the first escalation level, with their emails', async () => {
    const payments = fake.addService('Payments API');
    const alice = fake.addUser('Alice Adams', 'alice@example.com');
    const bob = fake.addUser('Bob Brown', 'bob@example.com');
    const carol = fake.addUser('Carol Chen', 'carol@example.com');
    fake.putOnCall(payments, alice, { start: '2024-05-06T09:00:00Z', end: '2024-05-13T09:00:00Z' });
    fake.putOnCall(payments, bob, { start: '2024-04-29T09:00:00Z', end: '2024-05-06T09:00:00Z' }); // last week's shift
    fake.putOnCall(payments, carol, { level: 2 }); // escalation, not first on call
    expect(await provider.whoIsOnCall(payments.id, AT)).toEqual([{ label: 'Alice Adams (alice@example.com)', email: 'alice@example.com' }]);
    const [call] = fake.callsTo('/oncalls');
    expect(call.query['escalation_policy_ids[]']).toEqual([payments.escalationPolicyId]);
    expect(call.query['include[]']).toEqual(['users']);
    expect(call.query.since).toEqual([AT.toISOString()]);
    expect(call.query.until).toEqual([AT.toISOString()]);
  });

  test('nobody on call, or a service without an escalation policy, is an empty answer', async () => {
    const quiet = fake.addService('Quiet');
    const orphan = fake.addService('Orphan', { escalationPolicyId: null });
    expect(await provider.whoIsOnCall(quiet.id, AT)).toEqual([]);
    expect(await provider.whoIsOnCall(orphan.id, AT)).toEqual([]);
  });

  test('an unknown service is refused as such, not as an outage', async () => {
    await expect(provider.whoIsOnCall('PNOSUCH', AT)).rejects.toThrow(UnknownServiceError);
    expect(await provider.findService('PNOSUCH')).toBeUndefined();
  });

  test('pages through the Events API v2 with the service integration key and the dedup key', async () => {
    const payments = fake.addService('Payments API');
    await provider.page({
      serviceId: payments.id,
      dedupKey: 'dispatch-7',
      summary: 'dispatch-7: Checkout is failing',
      source: 'https://acme.slack.com/archives/C0INCIDENT',
      severity: 'critical',
      details: { incident: 'dispatch-7' },
      link: { href: 'https://acme.slack.com/archives/C0INCIDENT', text: 'Slack channel' },
    });
    expect(fake.events).toHaveLength(1);
    const [event] = fake.events;
    expect(event.serviceId).toBe(payments.id);
    expect(event.body).toMatchObject({
      routing_key: payments.integrations[0].integrationKey,
      event_action: 'trigger',
      dedup_key: 'dispatch-7',
      payload: { summary: 'dispatch-7: Checkout is failing', severity: 'critical', source: 'https://acme.slack.com/archives/C0INCIDENT' },
    });
    expect(fake.callsTo('/v2/enqueue')[0].headers.authorization).toBeUndefined();
  });

  test('a service without an Events API v2 integration cannot be paged, and says so', async () => {
    const legacy = fake.addService('Legacy', { withEventsIntegration: false });
    await expect(
      provider.page({ serviceId: legacy.id, dedupKey: 'd-1', summary: 's', source: 'x', severity: 'info', details: {} }),
    ).rejects.toThrow('The PagerDuty service "Legacy" has no Events API v2 integration');
    expect(fake.events).toEqual([]);
  });

  test.each([
    [401, /refused the app's API token \(HTTP 401\); ask whoever runs Dispatch to check the PagerDuty connection/],
    [403, /not allowed to do this \(HTTP 403\)/],
    [429, /limiting how often the app may call it \(HTTP 429\); try again in a minute/],
    [500, /PagerDuty had a problem answering \(HTTP 500\); try again in a minute/],
    [503, /HTTP 503/],
  ])('HTTP %i becomes plain words', async (status, words) => {
    fake.failNext('/services', status, 2);
    await expect(provider.listServices()).rejects.toThrow(OncallProviderError);
    await expect(provider.listServices()).rejects.toThrow(words);
    expect(await provider.listServices()).toEqual([]);
  });

  test("a wrong token gets PagerDuty's own 401", async () => {
    const wrong = new PagerDutyProvider({ apiUrl: fake.apiUrl, eventsUrl: fake.eventsUrl, token: 'not-the-token' });
    await expect(wrong.listServices()).rejects.toMatchObject({ status: 401, code: 'pagerduty_http_401' });
  });

  test('a dropped connection, a closed port and a slow answer become plain words', async () => {
    fake.disconnectNext('/services');
    await expect(provider.listServices()).rejects.toThrow(/The app could not reach PagerDuty \(127\.0\.0\.1:\d+\); try again in a minute/);
    fake.setLatency(300);
    const impatient = new PagerDutyProvider({ apiUrl: fake.apiUrl, eventsUrl: fake.eventsUrl, token: 'pd-secret-token', timeoutMs: 100 });
    await expect(impatient.listServices()).rejects.toThrow('PagerDuty did not answer within 100 ms; try again in a minute.');
    fake.setLatency(0);
    await fake.stop();
    await expect(provider.listServices()).rejects.toThrow(/could not reach PagerDuty/);
  });

  test('a page the Events API refuses says why', async () => {
    const payments = fake.addService('Payments API');
    const alert = { serviceId: payments.id, dedupKey: 'd-1', summary: 's', source: 'x', severity: 'info' as const, details: {} };
    fake.failNext('/v2/enqueue', 500);
    await expect(provider.page(alert)).rejects.toThrow('PagerDuty had a problem answering (HTTP 500)');
    fake.failNext('/v2/enqueue', 429);
    await expect(provider.page(alert)).rejects.toThrow('(HTTP 429)');
    await expect(provider.page({ ...alert, summary: '' })).rejects.toThrow(
      "PagerDuty refused the page (HTTP 400: Event object is invalid: 'payload.summary' is missing or blank).",
    );
    expect(fake.events).toEqual([]);
  });
});
