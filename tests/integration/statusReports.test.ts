import type { Incident } from '../../incidents/model';
import { ManualClock } from '../support/clock';
import type { FakeChannel } from '../support/fakeSlack';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const REPORT = { conditions: 'Checkout errors at 5% & falling', actions: 'Rolled back deploy 42', needs: 'A DBA to check replication' };

interface Context {
  fake: FakeSlack;
  app: TestApp;
  announcements: FakeChannel;
  clock: ManualClock;
}

async function startApp(env: Record<string, string> = {}): Promise<Context> {
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  const announcements = fake.addChannel({ name: 'incidents', is_private: false });
  const clock = new ManualClock();
  // The background scan stays out of the way: tests run scans themselves with runOnce.
  const app = await TestApp.start({
    fake,
    clock,
    env: { SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id, STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h', ...env },
  });
  return { fake, app, announcements, clock };
}

async function stopApp(context: Context): Promise<void> {
  await context.app.stop();
  await context.fake.stop();
}

async function postReport(app: TestApp, channelId: string, answers: Record<string, string>, user = COMMANDER) {
  const command = await app.command('/dispatch-status-report', { channel_id: channelId, user_id: user });
  expect(command.status).toBe(200);
  expect(command.text).toBe('');
  await app.settle();
  return submitOpenedView(app, answers, user);
}

const initialValues = (view: Record<string, unknown>) =>
  Object.fromEntries(
    (view.blocks as Array<{ block_id?: string; element?: { initial_value?: string } }>)
      .filter((block) => block.block_id)
      .map((block) => [block.block_id, block.element?.initial_value]),
  );

describe('status reports', () => {
  let context: Context;
  let incident: Incident;
  let channelId: string;
  beforeEach(async () => {
    context = await startApp();
    incident = await reportIncident(context.app, { answers: { commander: COMMANDER } });
    channelId = incident.channelId as string;
  });
  afterEach(() => stopApp(context));

  test('the command opens an empty Conditions / Actions / Needs form the first time', async () => {
    const { app } = context;
    await app.command('/dispatch-status-report', { channel_id: channelId, user_id: COMMANDER });
    await app.settle();
    const view = openedView(app);
    expect(view.callback_id).toBe('status_report');
    expect(initialValues(view)).toEqual({ conditions: undefined, actions: undefined, needs: undefined });
  });

  test('submitting posts the report with author and time, pins it, and shows it on the summary and the announcement', async () => {
    const { app, fake, announcements } = context;
    const answer = await postReport(app, channelId, REPORT);
    expect(answer.text).toBe('');

    const posted = fake.messagesIn(channelId).find((message) => blockText(message).includes('*Status report* for'));
    expect(posted).toBeDefined();
    const text = blockText(posted ?? {});
    expect(text).toContain(`<@${COMMANDER}>`);
    expect(text).toContain('<!date^');
    expect(text).toContain('Checkout errors at 5% &amp; falling');
    expect(text).toContain('Rolled back deploy 42');
    expect(text).toContain('A DBA to check replication');
    expect(posted?.pinned).toBe(true);

    const summary = fake.messageAt(channelId, incident.summaryTs as string);
    expect(blockText(summary ?? {})).not.toContain('_none yet_');
    expect(blockText(summary ?? {})).toMatch(/Last status report <!date\^\d+\^\{ago\}/);
    const announcement = fake.messagesIn(announcements.id)[0];
    expect(blockText(announcement)).toContain('Latest status');
    expect(blockText(announcement)).toContain('Checkout errors at 5% &amp; falling');
  });

  test('the next report is prefilled from the last one, pins the new report and unpins the previous one; history is kept', async () => {
    const { app, fake } = context;
    await postReport(app, channelId, REPORT);
    const first = fake.messagesIn(channelId).find((message) => blockText(message).includes('Rolled back deploy 42'));

    await app.command('/dispatch-status-report', { channel_id: channelId, user_id: REPORTER });
    await app.settle();
    expect(initialValues(openedView(app))).toEqual(REPORT);
    await submitOpenedView(app, { conditions: 'Errors gone' }, REPORTER);

    const second = fake.messagesIn(channelId).find((message) => blockText(message).includes('Errors gone'));
    expect(second?.pinned).toBe(true);
    expect(fake.messageAt(channelId, first?.ts as string)?.pinned).toBe(false);
    expect(fake.lastCall('pins.remove')?.args).toMatchObject({ channel: channelId, timestamp: first?.ts });
    const history = await app.deps.store.reports.history(incident.id);
    expect(history.map((report) => report.conditions)).toEqual(['Errors gone', REPORT.conditions]);
    expect(history.map((report) => report.authorId)).toEqual([REPORTER, COMMANDER]);
    const timeline = await app.deps.timeline.list(incident.id);
    expect(timeline.filter((event) => event.kind === 'report').map((event) => event.text)).toEqual([
      `Status report: ${REPORT.conditions}`,
      'Status report: Errors gone',
    ]);
  });

  test('an empty part is refused inline, and nothing is posted', async () => {
    const { app, fake } = context;
    await app.command('/dispatch-status-report', { channel_id: channelId, user_id: COMMANDER });
    await app.settle();
    const answer = await app.interact(viewSubmission(openedView(app), { ...REPORT, needs: '  ' }, COMMANDER));
    const body = answer.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['needs']);
    await app.settle();
    expect(await app.deps.store.reports.history(incident.id)).toEqual([]);
    expect(fake.callsTo('pins.add')).toHaveLength(1); // the summary only
  });

  test('the pinned summary has "Status report" and "Timeline" buttons; the first opens the report form', async () => {
    const { app, fake } = context;
    const summary = fake.messageAt(channelId, incident.summaryTs as string);
    expect(blockText(summary ?? {})).toContain('"action_id":"status_report_open"');
    expect(blockText(summary ?? {})).toContain('"action_id":"timeline_show"');
    await app.interact(
      buttonClick({
        actionId: 'status_report_open',
        value: String(incident.id),
        userId: COMMANDER,
        channelId,
        messageTs: incident.summaryTs as string,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    expect(openedView(app).callback_id).toBe('status_report');
  });

  test('a closed incident takes no more reports: the command answers privately', async () => {
    const { app, fake } = context;
    await app.deps.incidents.changeStatus(incident.id, 'closed', COMMANDER, 'Rolled back');
    const responseUrl = fake.responseUrl();
    await app.command('/dispatch-status-report', { channel_id: channelId, user_id: COMMANDER, response_url: responseUrl });
    await app.settle();
    const reply = await fake.waitForResponseUrlPost((post) => responseUrl.endsWith(post.path));
    expect(JSON.stringify(reply.body)).toContain('is closed, so it takes no more status reports');
    expect(fake.callsTo('views.open').filter((call) => call.response.ok)).toHaveLength(1); // the report form only
  });

  test('the command outside an incident channel says where it works', async () => {
    const answer = await context.app.command('/dispatch-status-report', { channel_id: 'C0GENERAL1' });
    expect(answer.text).toContain("works in an incident's channel");
  });
});

describe('status report reminders', () => {
  let context: Context;
  let incident: Incident;
  beforeEach(async () => {
    context = await startApp();
    incident = await reportIncident(context.app, { answers: { commander: COMMANDER, priority: 'High' } });
  });
  afterEach(() => stopApp(context));

  const reminderDms = (fake: FakeSlack, userId = COMMANDER) =>
    fake
      .callsTo('chat.postMessage')
      .filter(
        (call) => call.response.ok === true && call.args.channel === userId && blockText(call.args).includes('needs a status report'),
      );

  test('a High incident with no report for 2 hours reminds its commander once per due time, with report and snooze buttons', async () => {
    const { app, fake, clock } = context;
    clock.advance(2 * 3_600_000 - 60_000);
    expect((await app.running.reminders.runOnce()).sent).toBe(0);
    expect(reminderDms(fake)).toHaveLength(0);

    clock.advance(60_000);
    expect((await app.running.reminders.runOnce()).sent).toBe(1);
    const [dm] = reminderDms(fake);
    const text = blockText(dm.args);
    expect(text).toContain(incident.name);
    expect(text).toContain('"action_id":"status_report_open"');
    for (const minutes of [30, 60, 120]) expect(text).toContain(`"action_id":"status_report_snooze_${minutes}"`);

    // Scans keep running: the same due time is not sent again.
    clock.advance(10 * 60_000);
    expect(await app.running.reminders.runOnce()).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(reminderDms(fake)).toHaveLength(1);

    // Still no report an interval later: one more reminder.
    clock.advance(2 * 3_600_000);
    expect((await app.running.reminders.runOnce()).sent).toBe(1);
    expect(reminderDms(fake)).toHaveLength(2);
  });

  test('a report moves the next reminder to an interval after it', async () => {
    const { app, fake, clock } = context;
    clock.advance(90 * 60_000);
    await postReport(app, incident.channelId as string, REPORT);
    clock.advance(60 * 60_000); // 2.5 h after the incident, 1 h after the report
    await app.running.reminders.runOnce();
    expect(reminderDms(fake)).toHaveLength(0);
    clock.advance(60 * 60_000);
    await app.running.reminders.runOnce();
    expect(reminderDms(fake)).toHaveLength(1);
    expect(blockText(reminderDms(fake)[0].args)).toContain('The last status report was posted');
  });

  test('"Snooze 1 h" updates the reminder in place and moves the next one to an hour later', async () => {
    const { app, fake, clock } = context;
    clock.advance(2 * 3_600_000);
    await app.running.reminders.runOnce();
    const [dm] = reminderDms(fake);
    const responseUrl = fake.responseUrl();
    await app.interact(
      buttonClick({
        actionId: 'status_report_snooze_60',
        value: `${incident.id}:60`,
        userId: COMMANDER,
        channelId: String(dm.response.channel),
        messageTs: String(dm.response.ts),
        triggerId: fake.issueTriggerId(),
        responseUrl,
      }),
    );
    await app.settle();
    const update = await fake.waitForResponseUrlPost((post) => responseUrl.endsWith(post.path));
    expect(update.body.replace_original).toBe(true);
    expect(JSON.stringify(update.body)).toContain('snoozed for 1h');

    clock.advance(59 * 60_000);
    await app.running.reminders.runOnce();
    expect(reminderDms(fake)).toHaveLength(1);
    clock.advance(60_000);
    await app.running.reminders.runOnce();
    expect(reminderDms(fake)).toHaveLength(2);
  });

  test('a forged snooze length is refused and changes nothing', async () => {
    const { app, fake } = context;
    const responseUrl = fake.responseUrl();
    await app.interact(
      buttonClick({
        actionId: 'status_report_snooze_60',
        value: `${incident.id}:100000`,
        userId: COMMANDER,
        triggerId: fake.issueTriggerId(),
        responseUrl,
      }),
    );
    await app.settle();
    const reply = await fake.waitForResponseUrlPost((post) => responseUrl.endsWith(post.path));
    expect(JSON.stringify(reply.body)).toContain('can be snoozed for 30, 60, 120 minutes');
    expect((await app.deps.incidents.require(incident.id)).reminderSnoozedUntil).toBeNull();
  });

  test('"Status report" in the reminder opens the report form', async () => {
    const { app, fake, clock } = context;
    clock.advance(2 * 3_600_000);
    await app.running.reminders.runOnce();
    await app.interact(
      buttonClick({
        actionId: 'status_report_open',
        value: String(incident.id),
        userId: COMMANDER,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    expect(openedView(app).callback_id).toBe('status_report');
  });

  test('stable and closed incidents get no reminders', async () => {
    const { app, fake, clock } = context;
    await app.command('/dispatch-mark-stable', { channel_id: incident.channelId as string, user_id: COMMANDER });
    await app.settle();
    clock.advance(5 * 3_600_000);
    expect(await app.running.reminders.runOnce()).toEqual({ sent: 0, skipped: 0, failed: 0 });
    await app.deps.incidents.changeStatus(incident.id, 'closed', COMMANDER, 'Fixed');
    clock.advance(48 * 3_600_000);
    await app.running.reminders.runOnce();
    expect(reminderDms(fake)).toHaveLength(0);
  });

  test('a reminder that Slack refuses is retried by the next scan', async () => {
    const { app, fake, clock } = context;
    clock.advance(2 * 3_600_000);
    fake.failNext('chat.postMessage', 'fatal_error');
    expect(await app.running.reminders.runOnce()).toEqual({ sent: 0, skipped: 0, failed: 1 });
    expect(await app.running.reminders.runOnce()).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(reminderDms(fake)).toHaveLength(1);
  });
});

describe('reminders with SLACK_USER_ID_OVERRIDE', () => {
  test('go to the override user', async () => {
    const context = await startApp({ SLACK_USER_ID_OVERRIDE: 'U0DEVELOP1' });
    try {
      await reportIncident(context.app, { answers: { commander: COMMANDER, priority: 'Medium' } });
      context.clock.advance(6 * 3_600_000);
      expect((await context.app.running.reminders.runOnce()).sent).toBe(1);
      const dms = context.fake.callsTo('chat.postMessage').filter((call) => blockText(call.args).includes('needs a status report'));
      expect(dms.map((call) => call.args.channel)).toEqual(['U0DEVELOP1']);
    } finally {
      await stopApp(context);
    }
  });
});

describe('status reports when the command is restricted', () => {
  test('the summary button is refused to someone who is neither commander nor scribe, and the commander may use it', async () => {
    const context = await startApp({ SLACK_RESTRICTED_COMMANDS: '/dispatch-status-report' });
    try {
      const { app, fake } = context;
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const click = (userId: string) =>
        app.interact(
          buttonClick({
            actionId: 'status_report_open',
            value: String(incident.id),
            userId,
            channelId: incident.channelId as string,
            messageTs: incident.summaryTs as string,
            triggerId: fake.issueTriggerId(),
            responseUrl: fake.responseUrl(),
          }),
        );
      const opensBefore = fake.callsTo('views.open').length;
      await click('U0BYSTANDR');
      await app.settle();
      expect(fake.callsTo('views.open')).toHaveLength(opensBefore);
      expect(JSON.stringify(fake.responseUrlPosts.at(-1)?.body)).toContain('can run /dispatch-status-report');

      await click(COMMANDER);
      await app.settle();
      expect(openedView(app).callback_id).toBe('status_report');
    } finally {
      await stopApp(context);
    }
  });
});
