import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ViewOutput } from '@slack/bolt';
import type { Incident } from '../../incidents/model';
import { ACTIONS, SHORTCUTS } from '../../slack/blocks/ids';
import { ManualClock } from '../support/clock';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, messageShortcut } from '../support/payloads';
import { TestApp } from '../support/testApp';

const OWNER = 'U0OWNER001';
const DAY = 86_400_000;
const START = '2026-03-02T09:00:00.000Z';

const dmsTo = (fake: FakeSlack, userId: string, text: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((call) => call.response.ok === true && call.args.channel === userId && blockText(call.args).includes(text));

const homeView = (): ViewOutput => ({
  id: 'V0HOME0001',
  team_id: 'T0TEAM0001',
  type: 'home',
  blocks: [],
  private_metadata: '',
  callback_id: '',
  state: { values: {} },
  hash: '1.abc',
  title: { type: 'plain_text', text: 'Home' },
  close: null,
  submit: null,
  root_view_id: null,
  previous_view_id: null,
  clear_on_close: false,
  notify_on_close: false,
  app_id: 'A0APPTEST1',
  bot_id: 'B0BOT00001',
});

describe('follow-ups', () => {
  let app: TestApp;
  let clock: ManualClock;
  let incident: Incident;
  beforeEach(async () => {
    clock = new ManualClock(START);
    app = await TestApp.start({ clock });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
  });
  afterEach(() => app.stop());

  test('from the close form: one a line, owned as chosen, each owner told by DM with a link; they show in the draft', async () => {
    await app.command(app.settings.commands.markClosed, { channel_id: incident.channelId as string, user_id: COMMANDER });
    await app.settle();
    const answer = await submitOpenedView(
      app,
      { resolution: 'Rolled back.', follow_ups: '- Alert on pool saturation\n\n* Write a rollback runbook', follow_up_owner: OWNER },
      COMMANDER,
    );
    expect(answer.text).toBe('');
    const followUps = await app.deps.followUps.listForIncident(incident.id);
    expect(followUps.map((followUp) => [followUp.description, followUp.ownerId, followUp.status])).toEqual([
      ['Alert on pool saturation', OWNER, 'open'],
      ['Write a rollback runbook', OWNER, 'open'],
    ]);
    const dms = dmsTo(app.fake, OWNER, 'made you the owner of a follow-up');
    expect(dms).toHaveLength(2);
    expect(blockText(dms[0].args)).toContain(`https://acme.slack.com/archives/${incident.channelId}`);
    // The draft went to the channel through files.uploadV2, follow-ups included.
    const completed = await app.fake.waitForCall('files.completeUploadExternal', (call) => call.response.ok === true);
    expect(completed.args.channel_id).toBe(incident.channelId);
    const [file] = app.fake.files;
    expect(file.filename).toBe(`${incident.name}-postmortem.md`);
    expect(file.channels).toEqual([incident.channelId]);
    expect(file.content).toContain(`# Postmortem: ${incident.name}: Checkout is failing`);
    expect(file.content).toContain('- [ ] Alert on pool saturation (owner');
    expect(file.content).toContain('## Root cause');
  });

  test('an empty or overlong line in the close form is refused inline, and nothing closes', async () => {
    await app.command(app.settings.commands.markClosed, { channel_id: incident.channelId as string, user_id: COMMANDER });
    await app.settle();
    const answer = await submitOpenedView(app, { resolution: 'Rolled back.', follow_ups: 'x'.repeat(1001) }, COMMANDER);
    expect(answer.json()).toMatchObject({ response_action: 'errors', errors: { follow_ups: expect.stringContaining('1000 characters') } });
    expect((await app.deps.incidents.require(incident.id)).status).toBe('active');
  });

  test('from "Add follow-up" on a message: prefilled, linked back to the message, with a due date', async () => {
    const message = app.fake.addMessage({ channel: incident.channelId as string, user: COMMANDER, text: 'we need an alert on the pool' });
    await app.interact(
      messageShortcut({
        callbackId: SHORTCUTS.addFollowUp,
        userId: COMMANDER,
        channelId: incident.channelId as string,
        message: { ts: message.ts, text: message.text ?? '', user: COMMANDER },
        triggerId: app.fake.issueTriggerId(),
        responseUrl: app.fake.responseUrl(),
      }),
    );
    await app.settle();
    const form = openedView(app);
    expect(JSON.stringify(form)).toContain('we need an alert on the pool');
    const past = await submitOpenedView(app, { owner: OWNER, due: '2026-03-01' }, COMMANDER);
    expect(past.json()).toMatchObject({ response_action: 'errors', errors: { due: expect.stringContaining('in the past') } });
    await submitOpenedView(app, { owner: OWNER, due: '2026-03-09' }, COMMANDER);
    const [followUp] = await app.deps.followUps.listForIncident(incident.id);
    expect(followUp).toMatchObject({ description: 'we need an alert on the pool', ownerId: OWNER, dueOn: '2026-03-09' });
    expect(followUp.sourceUrl).toContain(`/archives/${incident.channelId}/p`);
    expect(blockText(dmsTo(app.fake, OWNER, 'made you the owner')[0].args)).toContain('due *2026-03-09*');
  });

  test('by turning an open task into one, from the task list', async () => {
    const task = await app.deps.tasks.create({
      incidentId: incident.id,
      description: 'Raise the pool size',
      assigneeIds: [OWNER],
      creatorId: COMMANDER,
    });
    await app.interact(
      buttonClick({
        actionId: ACTIONS.makeFollowUp,
        value: String(incident.id),
        userId: COMMANDER,
        channelId: incident.channelId as string,
        triggerId: app.fake.issueTriggerId(),
        responseUrl: app.fake.responseUrl(),
      }),
    );
    await app.settle();
    await submitOpenedView(app, { task: String(task.id), owner: OWNER }, COMMANDER);
    const followUp = await app.deps.followUps.require(task.id);
    expect(followUp).toMatchObject({ id: task.id, description: 'Raise the pool size', ownerId: OWNER, dueOn: null, status: 'open' });
    expect(dmsTo(app.fake, OWNER, 'made you the owner')).toHaveLength(1);
    expect((await app.deps.timeline.list(incident.id)).map((event) => event.text)).toContain('Task made a follow-up: Raise the pool size');
  });

  test('done from the DM: the DM says so; done twice changes nothing; they survive a close and a reopen', async () => {
    const [followUp] = await app.deps.followUps.create([
      { incidentId: incident.id, description: 'Alert on pool saturation', ownerId: OWNER, dueOn: null, creatorId: COMMANDER },
    ]);
    await app.deps.incidents.changeStatus(incident.id, 'closed', COMMANDER, 'Fixed.');
    await app.deps.incidents.changeStatus(incident.id, 'active', COMMANDER);
    const click = () =>
      app.interact(
        buttonClick({
          actionId: ACTIONS.followUpDone,
          value: String(followUp.id),
          userId: OWNER,
          channelId: 'D0OWNERDM1',
          messageTs: '1772442000.000100',
          triggerId: app.fake.issueTriggerId(),
          responseUrl: app.fake.responseUrl(),
        }),
      );
    await click();
    await app.settle();
    const replaced = await app.fake.waitForResponseUrlPost((post) => JSON.stringify(post.body).includes('marked done by'));
    expect(replaced.body.replace_original).toBe(true);
    expect((await app.deps.followUps.require(followUp.id)).status).toBe('resolved');
    await click();
    await app.settle();
    const doneEvents = (await app.deps.timeline.list(incident.id)).filter((event) => event.text.startsWith('Follow-up done'));
    expect(doneEvents).toHaveLength(1);
  });

  test('done from Home: my tasks and follow-ups list it with a button, and the tab is redrawn without it', async () => {
    const [followUp] = await app.deps.followUps.create([
      { incidentId: incident.id, description: 'Alert on pool saturation', ownerId: OWNER, dueOn: '2026-03-03', creatorId: COMMANDER },
    ]);
    await app.deps.tasks.create({ incidentId: incident.id, description: 'Check the replicas', assigneeIds: [OWNER], creatorId: COMMANDER });
    clock.advance(2 * DAY);
    await app.event({ type: 'app_home_opened', user: OWNER, channel: 'D0OWNERDM1', tab: 'home', event_ts: '1772442000.000200' });
    await app.settle();
    const before = JSON.stringify(app.fake.lastCall('views.publish')?.args.view);
    expect(before).toContain('My tasks and follow-ups');
    expect(before).toContain('Alert on pool saturation');
    expect(before).toContain('*overdue*, was due 2026-03-03');
    expect(before).toContain('Check the replicas');
    expect(before).toContain(ACTIONS.followUpDone);
    await app.interact(
      buttonClick({
        actionId: ACTIONS.followUpDone,
        value: String(followUp.id),
        userId: OWNER,
        triggerId: app.fake.issueTriggerId(),
        responseUrl: '',
        view: homeView(),
      }),
    );
    await app.settle();
    expect((await app.deps.followUps.require(followUp.id)).status).toBe('resolved');
    const after = JSON.stringify(app.fake.lastCall('views.publish')?.args.view);
    expect(after).not.toContain('Alert on pool saturation');
    expect(after).toContain('Check the replicas');
  });
});

describe('overdue follow-up reminders go out once a day', () => {
  const shared = (database: TestDatabase): TestDatabase => ({ ...database, drop: async () => undefined });
  const reminders = (fake: FakeSlack) => dmsTo(fake, OWNER, 'you own was due');

  async function remindWithTwoInstances(database: TestDatabase): Promise<void> {
    const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    const clock = new ManualClock(START);
    const first = await TestApp.start({ fake, database: shared(database), clock });
    const second = await TestApp.start({ fake, database: shared(database), clock });
    try {
      const incident = await reportIncident(first, { answers: { commander: COMMANDER } });
      await first.deps.followUps.create([
        { incidentId: incident.id, description: 'Alert on pool saturation', ownerId: OWNER, dueOn: '2026-03-02', creatorId: REPORTER },
        { incidentId: incident.id, description: 'Not due yet', ownerId: OWNER, dueOn: '2026-03-20', creatorId: REPORTER },
      ]);
      expect((await first.running.afterClose.runOnce()).followUps.sent).toBe(0); // due today is not overdue
      clock.advance(DAY);
      const rounds = [];
      for (let round = 0; round < 3; round += 1) {
        rounds.push(...(await Promise.all([first.running.afterClose.runOnce(), second.running.afterClose.runOnce()])));
      }
      expect(rounds.reduce((sum, scan) => sum + scan.followUps.sent, 0)).toBe(1);
      expect(reminders(fake)).toHaveLength(1);
      expect(blockText(reminders(fake)[0].args)).toContain('Alert on pool saturation');
      clock.advance(DAY);
      const nextDay = await Promise.all([first.running.afterClose.runOnce(), second.running.afterClose.runOnce()]);
      expect(nextDay.reduce((sum, scan) => sum + scan.followUps.sent, 0)).toBe(1);
      expect(reminders(fake)).toHaveLength(2);
    } finally {
      await first.stop();
      await second.stop();
      await fake.stop();
    }
  }

  test('with two app instances on one SQLite file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dispatch-follow-ups-'));
    try {
      await remindWithTwoInstances({ kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  const withPostgres = postgresUrl ? test : test.skip;
  withPostgres('with two app instances on one PostgreSQL database (set TEST_DATABASE_URL to run)', async () => {
    const database = await postgresSchema();
    try {
      await remindWithTwoInstances(database);
    } finally {
      await database.drop();
    }
  });
});

describe('the /dispatch verbs of after the fire', () => {
  let app: TestApp;
  let incident: Incident;
  beforeEach(async () => {
    app = await TestApp.start({ clock: new ManualClock(START) });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
  });
  afterEach(() => app.stop());

  test('`/dispatch followup TEXT` opens the follow-up form prefilled with the text; submitted, the follow-up is recorded', async () => {
    const answer = await app.command('/dispatch', {
      text: 'followup Alert on pool saturation',
      channel_id: incident.channelId as string,
      user_id: COMMANDER,
    });
    expect(answer.status).toBe(200);
    await app.settle();
    const view = openedView(app);
    expect(JSON.stringify(view.blocks)).toContain('Alert on pool saturation');
    await submitOpenedView(app, { owner: OWNER }, COMMANDER);
    const followUps = await app.deps.followUps.listForIncident(incident.id);
    expect(followUps.map((followUp) => [followUp.description, followUp.ownerId])).toEqual([['Alert on pool saturation', OWNER]]);
  });

  test('`/dispatch postmortem` uploads the draft to the channel; outside an incident channel it says where it works', async () => {
    const answer = await app.command('/dispatch', { text: 'postmortem', channel_id: incident.channelId as string, user_id: COMMANDER });
    expect(answer.text).toContain('postmortem draft');
    await app.settle();
    const [file] = app.fake.files;
    expect(file.channels).toEqual([incident.channelId]);
    expect(file.content).toContain('# Postmortem: dispatch-1');

    const elsewhere = await app.command('/dispatch', { text: 'postmortem', channel_id: 'C0GENERAL1', user_id: COMMANDER });
    expect(elsewhere.text).toContain("works in an incident's channel");
    expect(app.fake.files).toHaveLength(1);
  });

  test('help lists both verbs in an incident channel', async () => {
    const answer = await app.command('/dispatch', { text: 'help', channel_id: incident.channelId as string, user_id: COMMANDER });
    expect(answer.text).toContain('/dispatch followup');
    expect(answer.text).toContain('/dispatch postmortem');
  });
});
