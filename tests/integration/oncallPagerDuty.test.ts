import type { BlockSuggestion } from '@slack/bolt';
import { ManualClock } from '../support/clock';
import { FakePagerDuty, type FakePagerDutyService } from '../support/fakePagerDuty';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

interface Block {
  type: string;
  block_id?: string;
  element?: { type?: string; options?: Array<{ value: string; text: { text: string } }> };
}

const START = '2024-05-06T10:00:00Z';

/** What Slack sends the options load URL as someone types in an external select (a block_suggestion). */
function serviceSuggestion(value: string, userId = REPORTER): BlockSuggestion {
  return {
    type: 'block_suggestion',
    block_id: 'oncall_service',
    action_id: 'value',
    value,
    api_app_id: 'A0APPTEST1',
    team: { id: 'T0TEAM0001', domain: 'acme' },
    user: { id: userId, name: userId.toLowerCase(), team_id: 'T0TEAM0001' },
    token: 'XXYYZZ',
    container: { type: 'view', view_id: 'V0ENGAGE01' },
  };
}

async function startApp(pd: FakePagerDuty, clock: ManualClock, fake: FakeSlack) {
  return TestApp.start({
    fake,
    clock,
    env: {
      ONCALL_PROVIDER: 'pagerduty',
      PAGERDUTY_API_TOKEN: pd.token,
      PAGERDUTY_API_URL: pd.apiUrl,
      PAGERDUTY_EVENTS_URL: pd.eventsUrl,
    },
  });
}

async function openEngageForm(app: TestApp, channelId: string) {
  const command = await app.command('/dispatch-engage-oncall', { channel_id: channelId, user_id: REPORTER });
  expect(command.text).toBe('');
  await app.settle();
  return openedView(app);
}

function ephemeralTo(fake: FakeSlack, channelId: string): string {
  const call = fake
    .callsTo('chat.postEphemeral')
    .filter((candidate) => candidate.args.channel === channelId && candidate.args.user === REPORTER)
    .at(-1);
  return blockText(call?.args ?? {});
}

describe('engaging on-call through PagerDuty', () => {
  let pd: FakePagerDuty;
  let fake: FakeSlack;
  let app: TestApp;
  let clock: ManualClock;
  let payments: FakePagerDutyService;
  let search: FakePagerDutyService;
  let quiet: FakePagerDutyService;

  beforeEach(async () => {
    pd = await FakePagerDuty.start();
    payments = pd.addService('Payments API');
    search = pd.addService('Search');
    quiet = pd.addService('Quiet');
    pd.putOnCall(payments, pd.addUser('Alice Adams', 'alice@example.com'), { start: '2024-05-06T09:00:00Z', end: '2024-05-13T09:00:00Z' });
    pd.putOnCall(payments, pd.addUser('Erin Escalation', 'erin@example.com'), { level: 2 });
    pd.putOnCall(search, pd.addUser('Bob Brown', 'bob@elsewhere.example'));
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    fake.addUser({ id: 'U0ALICE01', name: 'alice', real_name: 'Alice Adams', email: 'alice@example.com' });
    fake.addUser({ id: 'U0ERIN001', name: 'erin', email: 'erin@example.com' });
    clock = new ManualClock(START);
    app = await startApp(pd, clock, fake);
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
    await pd.stop();
  });

  test('the form lists PagerDuty services and offers paging; submitting engages the first-level on-call and pages them', async () => {
    const incident = await reportIncident(app, { title: 'Checkout is failing' });
    const channelId = incident.channelId as string;
    const view = await openEngageForm(app, channelId);
    const blocks = view.blocks as Block[];
    const serviceBlock = blocks.find((block) => block.block_id === 'oncall_service');
    expect(serviceBlock?.element?.type).toBe('static_select');
    expect(serviceBlock?.element?.options?.map((option) => [option.text.text, option.value])).toEqual([
      ['Payments API', payments.id],
      ['Quiet', quiet.id],
      ['Search', search.id],
    ]);
    expect(blocks.find((block) => block.block_id === 'oncall_options')?.element?.options?.[0].text.text).toBe(
      'Page them through PagerDuty',
    );

    await submitOpenedView(
      app,
      { oncall_service: payments.id, oncall_note: 'Card processor returns 502', oncall_options: ['page'] },
      REPORTER,
    );

    // Found by email, invited, a participant, recorded as paged.
    expect(fake.callsTo('users.lookupByEmail').map((call) => call.args.email)).toEqual(['alice@example.com']);
    expect(fake.channels.get(channelId)?.members.has('U0ALICE01')).toBe(true);
    expect(fake.channels.get(channelId)?.members.has('U0ERIN001')).toBe(false);
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toMatchObject([
      { service: 'Payments API', userId: 'U0ALICE01', paged: true, note: 'Card processor returns 502' },
    ]);
    expect((await app.deps.store.participants.get(incident.id, 'U0ALICE01'))?.leftAt).toBeNull();

    // PagerDuty was asked as it documents, and paged through the service's Events API v2 integration.
    const oncallCall = pd.callsTo('/oncalls')[0];
    expect(oncallCall.query['escalation_policy_ids[]']).toEqual([payments.escalationPolicyId]);
    expect(oncallCall.query.since).toEqual([new Date(START).toISOString()]);
    expect(pd.events).toHaveLength(1);
    expect(pd.events[0]).toMatchObject({
      serviceId: payments.id,
      body: {
        routing_key: payments.integrations[0].integrationKey,
        event_action: 'trigger',
        dedup_key: 'dispatch-1',
        payload: {
          summary: 'dispatch-1: Checkout is failing',
          severity: 'critical',
          source: `https://acme.slack.com/archives/${channelId}`,
          custom_details: { incident: 'dispatch-1', priority: 'High', note: 'Card processor returns 502', engaged_by: REPORTER },
        },
      },
    });

    const posted = fake
      .messagesIn(channelId)
      .map(blockText)
      .find((text) => text.includes('engaged the on-call'));
    expect(posted).toContain(`<@${REPORTER}> engaged the on-call for *Payments API*: <@U0ALICE01>.`);
    expect(posted).toContain(':pager: They were paged through PagerDuty.');
    expect(posted).toContain('Card processor returns 502');
    const dm = blockText(fake.callsTo('chat.postMessage').find((call) => call.args.channel === 'U0ALICE01')?.args ?? {});
    expect(dm).toContain('You are on call for *Payments API*');
    expect(dm).toContain('You were also paged through PagerDuty.');
  });

  test('engaging the same service again pages into the same alert (the incident name is the dedup key)', async () => {
    const incident = await reportIncident(app);
    for (let i = 0; i < 2; i += 1) {
      await openEngageForm(app, incident.channelId as string);
      await submitOpenedView(app, { oncall_service: payments.id, oncall_options: ['page'] }, REPORTER);
    }
    expect(pd.events.map((event) => event.body.dedup_key)).toEqual(['dispatch-1', 'dispatch-1']);
  });

  test('nobody on call: the asker is told privately, and nobody is invited or paged', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await openEngageForm(app, channelId);
    await submitOpenedView(app, { oncall_service: quiet.id, oncall_options: ['page'] }, REPORTER);
    expect(ephemeralTo(fake, channelId)).toContain(
      'Nobody is on call for *Quiet* right now, according to PagerDuty. Nobody was engaged or paged.',
    );
    expect(pd.events).toEqual([]);
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toEqual([]);
    expect(
      fake
        .messagesIn(channelId)
        .map(blockText)
        .some((text) => text.includes('engaged the on-call')),
    ).toBe(false);
  });

  test('on call but no Slack user with their email: the asker is told, the page still goes out and the channel hears of it', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await openEngageForm(app, channelId);
    await submitOpenedView(app, { oncall_service: search.id, oncall_options: ['page'] }, REPORTER);
    expect(ephemeralTo(fake, channelId)).toContain(
      'Bob Brown (bob@elsewhere.example) is on call for *Search*, but could not be found in Slack by email, so nobody was invited. They were paged through PagerDuty.',
    );
    expect(pd.events.map((event) => event.serviceId)).toEqual([search.id]);
    const posted = fake
      .messagesIn(channelId)
      .map(blockText)
      .find((text) => text.includes('engaged the on-call'));
    expect(posted).toContain('Also on call, but not found in Slack: Bob Brown (bob@elsewhere.example). Reach them another way.');
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toEqual([]);
  });

  test.each([
    [
      '500',
      (fakePd: FakePagerDuty) => fakePd.failNext('/oncalls', 500),
      'PagerDuty had a problem answering (HTTP 500); try again in a minute.',
    ],
    ['401', (fakePd: FakePagerDuty) => fakePd.failNext('/services/', 401), 'ask whoever runs Dispatch to check the PagerDuty connection.'],
    ['429', (fakePd: FakePagerDuty) => fakePd.failNext('/oncalls', 429), 'PagerDuty is limiting how often the app may call it (HTTP 429)'],
    ['a dropped connection', (fakePd: FakePagerDuty) => fakePd.disconnectNext('/oncalls'), 'The app could not reach PagerDuty'],
  ])('PagerDuty answering %s at submission: the asker is told in plain words, nothing is engaged', async (_case, inject, words) => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await openEngageForm(app, channelId);
    inject(pd);
    await submitOpenedView(app, { oncall_service: payments.id, oncall_options: ['page'] }, REPORTER);
    const told = ephemeralTo(fake, channelId);
    expect(told).toContain(words);
    expect(told).toContain('Nobody was engaged.');
    expect(pd.events).toEqual([]);
    expect(fake.channels.get(channelId)?.members.has('U0ALICE01')).toBe(false);
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toEqual([]);
    expect(app.logs.some((line) => line.includes('on-call provider refused or failed') && line.includes('"level":"warn"'))).toBe(true);
  });

  test('PagerDuty down when the form would open: the command answers privately and opens nothing', async () => {
    const incident = await reportIncident(app);
    clock.advance(10 * 60_000); // past the cached service list
    await pd.stop();
    const command = await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    expect(command.text).toBe('');
    const post = await fake.waitForResponseUrlPost((candidate) => JSON.stringify(candidate.body).includes('PagerDuty'));
    await app.settle();
    expect(post.body.text).toMatch(
      /^The app could not reach PagerDuty \(127\.0\.0\.1:\d+\); try again in a minute\..* The on-call form could not be opened; nobody was engaged\.$/,
    );
    expect(post.body.response_type).toBe('ephemeral');
    expect(
      fake.callsTo('views.open').filter((call) => (call.args.view as { callback_id?: string }).callback_id === 'oncall_engage'),
    ).toEqual([]);
  });

  test('a service gone from PagerDuty since the form opened is refused by name', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await openEngageForm(app, channelId);
    pd.services.delete(search.id);
    await submitOpenedView(app, { oncall_service: search.id }, REPORTER);
    expect(ephemeralTo(fake, channelId)).toContain('PagerDuty has no service "Search" (any more). Pick another one. Nobody was engaged.');
  });

  test('a service PagerDuty never listed is refused inline in the form', async () => {
    const incident = await reportIncident(app);
    const view = await openEngageForm(app, incident.channelId as string);
    const answer = await app.interact(viewSubmission(view, { oncall_service: 'PNOSUCH' }, REPORTER));
    expect(answer.json()).toEqual({
      response_action: 'errors',
      errors: { oncall_service: 'PagerDuty has no such service (any more); pick another one.' },
    });
  });

  test('a page PagerDuty refuses: the on-call is still engaged, the channel and the asker hear the page did not go out', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await openEngageForm(app, channelId);
    pd.failNext('/v2/enqueue', 500);
    await submitOpenedView(app, { oncall_service: payments.id, oncall_options: ['page'] }, REPORTER);
    expect(fake.channels.get(channelId)?.members.has('U0ALICE01')).toBe(true);
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toMatchObject([{ userId: 'U0ALICE01', paged: false }]);
    const posted = fake
      .messagesIn(channelId)
      .map(blockText)
      .find((text) => text.includes('engaged the on-call'));
    expect(posted).toContain(':warning: The page did not go out: PagerDuty had a problem answering (HTTP 500)');
    expect(ephemeralTo(fake, channelId)).toContain('• Paging: PagerDuty had a problem answering (HTTP 500)');
  });

  test('the report form offers PagerDuty services, "make them commander" and paging: the incident starts with the on-call leading it, paged', async () => {
    await app.command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: REPORTER });
    await app.settle();
    const blocks = openedView(app).blocks as Block[];
    expect(blocks.at(-1)?.element?.options?.map((option) => option.value)).toEqual(['commander', 'page']);
    await submitOpenedView(
      app,
      { description: 'Customers see HTTP 500.', priority: 'Medium', oncall_service: payments.id, oncall_options: ['commander', 'page'] },
      REPORTER,
    );
    const incident = await app.deps.incidents.require(1);
    expect(incident.commanderId).toBe('U0ALICE01');
    expect(fake.channels.get(incident.channelId as string)?.topic).toContain('Commander: Alice Adams');
    expect(pd.events).toHaveLength(1);
    expect(pd.events[0].body.payload?.severity).toBe('error');
  });

  test('the report form still opens when PagerDuty is down, with a select that searches as you type', async () => {
    pd.failNext('/services', 500);
    await app.command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: REPORTER });
    await app.settle();
    const blocks = openedView(app).blocks as Block[];
    expect(blocks.find((block) => block.block_id === 'oncall_service')?.element?.type).toBe('external_select');
  });
});

describe('PagerDuty with more than 100 services', () => {
  let pd: FakePagerDuty;
  let app: TestApp;
  beforeAll(async () => {
    pd = await FakePagerDuty.start();
    for (let i = 1; i <= 150; i += 1) pd.addService(`Team ${String(i).padStart(3, '0')} API`);
    const storefront = pd.addService('Storefront');
    pd.putOnCall(storefront, pd.addUser('Sam Store', 'sam@example.com'));
    app = await startApp(pd, new ManualClock(START), await FakeSlack.start({ appId: 'A0APPTEST1' }));
    app.fake.addUser({ id: 'U0SAM0001', name: 'sam', email: 'sam@example.com' });
  });
  afterAll(async () => {
    await app.stop();
    await app.fake.stop();
    await pd.stop();
  });

  test('the form uses a select that searches as you type, answered on the /menu path, filtered by the typed text', async () => {
    const incident = await reportIncident(app);
    const view = await openEngageForm(app, incident.channelId as string);
    const serviceBlock = (view.blocks as Block[]).find((block) => block.block_id === 'oncall_service');
    expect(serviceBlock?.element?.type).toBe('external_select');
    expect(serviceBlock?.element?.options).toBeUndefined();

    const everything = await app.interact(serviceSuggestion(''), '/api/v1/events/slack/menu');
    expect(everything.status).toBe(200);
    expect((everything.json().options as unknown[]).length).toBe(100);

    const typed = await app.interact(serviceSuggestion('STORE'), '/api/v1/events/slack/menu');
    const options = typed.json().options as Array<{ text: { text: string }; value: string }>;
    expect(options.map((option) => option.text.text)).toEqual(['Storefront']);

    const team = await app.interact(serviceSuggestion('team 14'), '/api/v1/events/slack/menu');
    expect((team.json().options as Array<{ text: { text: string } }>).map((option) => option.text.text)).toEqual([
      'Team 140 API',
      'Team 141 API',
      'Team 142 API',
      'Team 143 API',
      'Team 144 API',
      'Team 145 API',
      'Team 146 API',
      'Team 147 API',
      'Team 148 API',
      'Team 149 API',
    ]);

    await submitOpenedView(app, { oncall_service: options[0].value }, REPORTER);
    expect(app.fake.channels.get(incident.channelId as string)?.members.has('U0SAM0001')).toBe(true);
    // The list was fetched once (two pages), then searched from the cache.
    expect(pd.callsTo('/services').filter((call) => call.path === '/services')).toHaveLength(2);
  });
});
