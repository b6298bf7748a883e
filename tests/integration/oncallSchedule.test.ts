import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../support/clock';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const SCHEDULE = [
  'services:',
  '  - name: Payments API',
  '    users: [U0PAYONE, U0PAYTWO, payments-three@example.com]',
  '    rotation: weekly',
  '    handoff: "monday 09:00"',
  '  - name: Search',
  '    users: [search-oncall@example.com]',
  '    rotation: daily',
].join('\n');

/** Monday 8 January 2024, 08:59 in Berlin: the last minute of U0PAYONE's week (the second one since the epoch is U0PAYTWO's). */
const BEFORE_HANDOFF = '2024-01-08T07:59:00Z';

function scheduleFile(text = SCHEDULE): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dispatch-oncall-')), 'oncall.yml');
  writeFileSync(file, text);
  return file;
}

interface Block {
  type: string;
  block_id?: string;
  element?: { type?: string; options?: Array<{ value: string; text: { text: string } }> };
}

async function engage(app: TestApp, channelId: string, answers: Record<string, string | string[]>, user = REPORTER) {
  const command = await app.command('/dispatch-engage-oncall', { channel_id: channelId, user_id: user });
  expect(command.status).toBe(200);
  expect(command.text).toBe('');
  await app.settle();
  return submitOpenedView(app, answers, user);
}

describe('engaging on-call from a schedule file', () => {
  let fake: FakeSlack;
  let app: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    fake.addUser({ id: 'U0PAYONE', name: 'pat', real_name: 'Pat One' });
    fake.addUser({ id: 'U0PAYTHREE', name: 'three', email: 'payments-three@example.com' });
    clock = new ManualClock(BEFORE_HANDOFF);
    app = await TestApp.start({
      fake,
      clock,
      env: { ONCALL_PROVIDER: 'schedule', ONCALL_SCHEDULE_FILE: scheduleFile(), ONCALL_TIMEZONE: 'Europe/Berlin' },
    });
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  test('the command opens a form with the schedule services, a note, and no paging (a schedule cannot page)', async () => {
    const incident = await reportIncident(app);
    await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const view = openedView(app);
    expect(view.callback_id).toBe('oncall_engage');
    const blocks = view.blocks as Block[];
    expect(blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['oncall_service', 'oncall_note']);
    const service = blocks.find((block) => block.block_id === 'oncall_service');
    expect(service?.element?.type).toBe('static_select');
    expect(service?.element?.options?.map((option) => option.text.text)).toEqual(['Payments API', 'Search']);
    expect(JSON.stringify(view)).not.toContain('Page them');
  });

  test('submitting engages whoever the rotation has on call at that time: invited, a participant, DMed, announced in the channel', async () => {
    const incident = await reportIncident(app, { title: 'Checkout is failing' });
    const channelId = incident.channelId as string;
    const answer = await engage(app, channelId, { oncall_service: 'Payments API', oncall_note: 'Card payments fail <b>since 09:12</b>' });
    expect(answer.text).toBe('');

    expect(fake.channels.get(channelId)?.members.has('U0PAYONE')).toBe(true);
    expect(fake.channels.get(channelId)?.members.has('U0PAYTWO')).toBe(false);
    const participant = await app.deps.store.participants.get(incident.id, 'U0PAYONE');
    expect(participant?.leftAt).toBeNull();
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toMatchObject([
      { service: 'Payments API', userId: 'U0PAYONE', engagedBy: REPORTER, paged: false, note: 'Card payments fail <b>since 09:12</b>' },
    ]);

    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === 'U0PAYONE');
    const dmText = blockText(dm?.args ?? {});
    expect(dmText).toContain('You are on call for *Payments API*');
    expect(dmText).toContain(`<@${REPORTER}> engaged you in *dispatch-1: Checkout is failing*`);
    expect(dmText).toContain(`https://acme.slack.com/archives/${channelId}`);
    expect(dmText).toContain('Customers see HTTP 500');
    expect(dmText).toContain('Card payments fail &lt;b&gt;since 09:12&lt;/b&gt;');

    const posted = fake
      .messagesIn(channelId)
      .map(blockText)
      .find((text) => text.includes('engaged the on-call'));
    expect(posted).toContain(`<@${REPORTER}> engaged the on-call for *Payments API*: <@U0PAYONE>.`);
    expect(posted).toContain('Not paged.');
  });

  test('the rotation follows the clock: the next person after the hand-off, an email resolved to its Slack user the week after', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    clock.set('2024-01-08T08:00:00Z'); // 09:00 in Berlin: hand-off to the second person
    await engage(app, channelId, { oncall_service: 'Payments API' });
    clock.advance(7 * 24 * 3_600_000);
    await engage(app, channelId, { oncall_service: 'Payments API' });

    expect(fake.callsTo('users.lookupByEmail').map((call) => call.args.email)).toEqual(['payments-three@example.com']);
    const engaged = (await app.deps.store.oncallEngagements.listForIncident(incident.id)).map((engagement) => engagement.userId);
    expect(engaged).toEqual(['U0PAYTWO', 'U0PAYTHREE']);
    expect(fake.channels.get(channelId)?.members.has('U0PAYTWO')).toBe(true);
    expect(fake.channels.get(channelId)?.members.has('U0PAYTHREE')).toBe(true);
    expect(fake.channels.get(channelId)?.members.has('U0PAYONE')).toBe(false);
  });

  test('someone on call whose email has no Slack user: the asker is told privately, nothing is posted or recorded', async () => {
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    const postsBefore = fake.messagesIn(channelId).length;
    await engage(app, channelId, { oncall_service: 'Search' });

    const ephemeral = fake.lastCall('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: channelId, user: REPORTER });
    expect(blockText(ephemeral?.args ?? {})).toContain(
      'search-oncall@example.com is on call for *Search*, but could not be found in Slack by email, so nobody was invited.',
    );
    expect(fake.messagesIn(channelId)).toHaveLength(postsBefore);
    expect(fake.callsTo('conversations.invite').filter((call) => call.args.channel === channelId && call.args.users !== REPORTER)).toEqual(
      [],
    );
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toEqual([]);
  });

  test('a service the schedule does not have is refused inline in the form, and nothing happens', async () => {
    const incident = await reportIncident(app);
    await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const answer = await app.interact(viewSubmission(openedView(app), { oncall_service: 'Billing' }, REPORTER));
    expect(answer.json()).toEqual({
      response_action: 'errors',
      errors: { oncall_service: 'The on-call schedule has no such service (any more); pick another one.' },
    });
    await app.settle();
    expect(await app.deps.store.oncallEngagements.listForIncident(incident.id)).toEqual([]);
  });

  test('a note over the limit is refused inline', async () => {
    const incident = await reportIncident(app);
    await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const answer = await app.interact(
      viewSubmission(openedView(app), { oncall_service: 'Search', oncall_note: 'x'.repeat(1001) }, REPORTER),
    );
    expect((answer.json() as { errors: Record<string, string> }).errors.oncall_note).toMatch(/within 1000 characters/);
  });

  test('the command outside an incident channel, or in a closed incident, answers privately and opens nothing', async () => {
    const elsewhere = await app.command('/dispatch-engage-oncall', { channel_id: 'C0GENERAL1', user_id: REPORTER });
    expect(elsewhere.json().text).toMatch(/works in an incident's channel/);
    const incident = await reportIncident(app);
    await app.deps.incidents.changeStatus(incident.id, 'closed', REPORTER, 'Rolled back.');
    const closed = await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    expect(closed.json().text).toBe('dispatch-1 is closed. Reopen it with /dispatch-mark-active before engaging on-call.');
    await app.settle();
    expect(
      fake.callsTo('views.open').filter((call) => (call.args.view as { callback_id?: string }).callback_id === 'oncall_engage'),
    ).toEqual([]);
  });

  describe('the report form', () => {
    test('offers a service to engage and "make them commander" (no paging); the on-call then leads the incident', async () => {
      await app.command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: REPORTER });
      await app.settle();
      const view = openedView(app);
      const blocks = view.blocks as Block[];
      expect(blocks.map((block) => block.block_id).slice(-2)).toEqual(['oncall_service', 'oncall_options']);
      expect(blocks.at(-1)?.element?.options?.map((option) => option.value)).toEqual(['commander']);

      await submitOpenedView(
        app,
        { description: 'Customers see HTTP 500.', oncall_service: 'Payments API', oncall_options: ['commander'], oncall_note: null },
        REPORTER,
      );
      const incident = await app.deps.incidents.require(1);
      const channelId = incident.channelId as string;
      expect(incident.commanderId).toBe('U0PAYONE');
      expect(await app.deps.store.participants.currentRoles(incident.id, REPORTER)).toEqual(['reporter', 'participant']);
      expect(await app.deps.store.participants.currentRoles(incident.id, 'U0PAYONE')).toEqual(['commander']);
      expect(fake.channels.get(channelId)?.members.has('U0PAYONE')).toBe(true);
      const posted = fake
        .messagesIn(channelId)
        .map(blockText)
        .find((text) => text.includes('engaged the on-call'));
      expect(posted).toContain('<@U0PAYONE> is now the Incident Commander.');
      // The pinned summary and the topic follow the new commander.
      expect(blockText(fake.messageAt(channelId, incident.summaryTs as string) ?? {})).toContain('<@U0PAYONE>');
      expect(fake.channels.get(channelId)?.topic).toContain('Commander: Pat One');
    });

    test('"make them commander" without a service, or with a commander picked too, is refused inline', async () => {
      await app.command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: REPORTER });
      await app.settle();
      const view = openedView(app);
      const noService = await app.interact(viewSubmission(view, { description: 'd', oncall_options: ['commander'] }, REPORTER));
      expect((noService.json() as { errors: Record<string, string> }).errors).toEqual({
        oncall_options: 'Pick a service to engage first, or untick these.',
      });
      const both = await app.interact(
        viewSubmission(
          view,
          { description: 'd', commander: 'U0SOMEONE', oncall_service: 'Search', oncall_options: ['commander'] },
          REPORTER,
        ),
      );
      expect((both.json() as { errors: Record<string, string> }).errors).toEqual({
        commander: 'Pick a commander or make the on-call the commander, not both.',
      });
      await app.settle();
      expect(await app.deps.store.incidents.listRecent(5)).toEqual([]);
    });
  });
});

describe('without an on-call provider', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  test('the command answers privately in plain words; the setting names go to the log', async () => {
    const incident = await reportIncident(app);
    const answer = await app.command('/dispatch-engage-oncall', { channel_id: incident.channelId as string, user_id: REPORTER });
    const text = answer.json().text as string;
    expect(text).toContain("On-call isn't set up here");
    expect(text).toContain('ask whoever runs Dispatch');
    expect(text).not.toMatch(/ONCALL_|PAGERDUTY_|docs\//);
    expect(app.logs.some((line) => line.includes('ONCALL_PROVIDER=schedule with ONCALL_SCHEDULE_FILE'))).toBe(true);
    expect(answer.json().response_type).not.toBe('in_channel');
    await app.settle();
    expect(app.fake.callsTo('views.open')).toHaveLength(1); // the report form only
  });

  test('the report form has no on-call part', async () => {
    await app.command('/dispatch-report-incident', { text: 'x' });
    await app.settle();
    expect(JSON.stringify(openedView(app))).not.toContain('oncall_');
  });
});
