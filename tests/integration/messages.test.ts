import type { Incident } from '../../incidents/model';
import { FakeSlack, type RecordedCall } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, memberJoined, memberLeft, viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const NEWCOMER = 'U0NEWCOMER';
const FOLLOWER = 'U0FOLLOWER';
const SECOND_FOLLOWER = 'U0FOLLOWR2';
const BYSTANDER = 'U0BYSTAND1';
const REPORT = { conditions: 'Checkout errors at 5% and falling', actions: 'Rolled back deploy 42', needs: 'A DBA to check replication' };

interface Context {
  fake: FakeSlack;
  app: TestApp;
  announcementsId: string;
}

async function startApp(env: Record<string, string> = {}): Promise<Context> {
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  const announcements = fake.addChannel({ name: 'incidents', is_private: false });
  fake.addUser({ id: COMMANDER, name: 'casey', real_name: 'Casey Commander' });
  const app = await TestApp.start({ fake, env: { SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id, ...env } });
  return { fake, app, announcementsId: announcements.id };
}

async function stopApp(context: Context): Promise<void> {
  await context.app.stop();
  await context.fake.stop();
}

/** Direct messages the app sent this person (the gateway posts them to the user id). */
const dmsTo = (fake: FakeSlack, userId: string): RecordedCall[] =>
  fake.callsTo('chat.postMessage').filter((call) => call.args.channel === userId && call.response.ok === true);

const ephemeralsTo = (fake: FakeSlack, userId: string, channelId: string): RecordedCall[] =>
  fake.callsTo('chat.postEphemeral').filter((call) => call.args.user === userId && call.args.channel === channelId);

/** Incident reported by REPORTER with COMMANDER leading. */
function reportWithCommander(app: TestApp): Promise<Incident> {
  return reportIncident(app, { answers: { commander: COMMANDER } });
}

async function run(app: TestApp, text: string, incident: Incident, user = COMMANDER) {
  const answer = await app.command('/dispatch', { text, channel_id: incident.channelId as string, user_id: user });
  expect(answer.status).toBe(200);
  await app.settle();
  return answer;
}

async function postReport(app: TestApp, incident: Incident, user = COMMANDER): Promise<void> {
  await run(app, 'update', incident, user);
  const submitted = await submitOpenedView(app, REPORT, user);
  expect(submitted.text).toBe('');
}

async function closeWithResolution(app: TestApp, incident: Incident, resolution: string, user = COMMANDER): Promise<void> {
  await run(app, 'close', incident, user);
  expect(openedView(app).callback_id).toBe('incident_resolution');
  await submitOpenedView(app, { resolution }, user);
}

describe('one post per change, private replies', () => {
  let context: Context;
  beforeAll(async () => {
    context = await startApp();
  });
  afterAll(() => stopApp(context));

  test('a close posts exactly one new message in the channel, and it carries the resolution', async () => {
    const { app, fake } = context;
    const incident = await reportWithCommander(app);
    const channelId = incident.channelId as string;
    await run(app, 'stable', incident);
    const before = fake.messagesIn(channelId).length;
    await closeWithResolution(app, incident, 'Rolled back the payment-service deploy');
    const added = fake.messagesIn(channelId).slice(before);
    expect(added).toHaveLength(1);
    const text = blockText(added[0]);
    expect(text).toContain('Rolled back the payment-service deploy');
    expect(text).toContain('*Duration*');
    expect(text).toContain('*Time to stable*');
    // The pinned summary was edited in place, not posted again.
    const summary = fake.messageAt(channelId, (await app.deps.incidents.require(incident.id)).summaryTs as string);
    expect(summary?.updates).toBeGreaterThan(0);
    expect(blockText(summary ?? {})).toContain('Rolled back the payment-service deploy');
  });

  test('a repeated change gets a private reply in the channel and no DM, from a command or a form', async () => {
    const { app, fake } = context;
    const incident = await reportWithCommander(app);
    const channelId = incident.channelId as string;
    await run(app, 'stable', incident);
    const postsBefore = fake.messagesIn(channelId).length;
    const responsesBefore = fake.responseUrlPosts.length;
    await run(app, 'stable', incident);
    const reply = fake.responseUrlPosts.slice(responsesBefore);
    expect(reply).toHaveLength(1);
    expect(JSON.stringify(reply[0].body)).toContain('already stable; nothing changed');
    expect(reply[0].body.response_type).toBe('ephemeral');

    // Two people close it with the resolution form at the same moment: the second one is told privately.
    await run(app, 'close', incident, COMMANDER);
    const first = openedView(app);
    await run(app, 'close', incident, REPORTER);
    const second = openedView(app);
    await app.interact(viewSubmission(first, { resolution: 'Fixed' }, COMMANDER));
    await app.settle();
    await app.interact(viewSubmission(second, { resolution: 'Fixed too' }, REPORTER));
    await app.settle();
    const told = ephemeralsTo(fake, REPORTER, channelId).filter((call) => blockText(call.args).includes('already closed'));
    expect(told).toHaveLength(1);
    expect(dmsTo(fake, REPORTER).filter((call) => blockText(call.args).includes('nothing changed'))).toHaveLength(0);
    expect(dmsTo(fake, COMMANDER).filter((call) => blockText(call.args).includes('nothing changed'))).toHaveLength(0);
    // Stable, then one close: two posts, none for the refusals.
    expect(fake.messagesIn(channelId).length - postsBefore).toBe(1);
  });
});

describe('catch-up and welcome', () => {
  let context: Context;
  beforeAll(async () => {
    context = await startApp();
  });
  afterAll(() => stopApp(context));

  test('someone joining after a status report gets, privately and within seconds, a catch-up naming the commander', async () => {
    const { app, fake } = context;
    const incident = await reportWithCommander(app);
    const channelId = incident.channelId as string;
    await postReport(app, incident);
    const sent = Date.now();
    await app.event(memberJoined(NEWCOMER, channelId));
    const welcome = await fake.waitForCall('chat.postEphemeral', (call) => call.args.user === NEWCOMER, 3000);
    expect(welcome.at - sent).toBeLessThan(3000);
    expect(welcome.args.channel).toBe(channelId);
    const text = blockText(welcome.args);
    expect(text).toContain(`Welcome to *${incident.name}`);
    expect(text).toContain(REPORT.conditions);
    expect(text).toContain(REPORT.actions);
    expect(text).toContain(REPORT.needs);
    expect(text).toContain(`Incident Commander <@${COMMANDER}>`);
    expect(text).toContain('"action_id":"dispatch_help"');
    // Short: no command catalogue.
    expect(text).not.toContain('/dispatch-list-participants');
    await app.settle();
    expect(dmsTo(fake, NEWCOMER)).toHaveLength(0);

    // Back after leaving: a catch-up, not a second welcome.
    await app.event(memberLeft(NEWCOMER, channelId));
    await app.event(memberJoined(NEWCOMER, channelId));
    await app.settle();
    const again = ephemeralsTo(fake, NEWCOMER, channelId);
    expect(again).toHaveLength(2);
    expect(blockText(again[1].args)).toContain(`Catch-up on ${incident.name}`);
    expect(blockText(again[1].args)).not.toContain('Welcome');
  });

  test('/dispatch catchup and the summary\'s "Catch me up" answer privately', async () => {
    const { app, fake } = context;
    const incident = await reportWithCommander(app);
    await postReport(app, incident);
    const answer = await run(app, 'catchup', incident, REPORTER);
    expect(answer.text).toBe('');
    const reply = await fake.waitForResponseUrlPost((post) => JSON.stringify(post.body).includes('Catch-up on'));
    expect(reply.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.body)).toContain(REPORT.conditions);

    const summary = fake.messageAt(incident.channelId as string, (await app.deps.incidents.require(incident.id)).summaryTs as string);
    expect(blockText(summary ?? {})).toContain('"text":"Catch me up"');
    const before = fake.responseUrlPosts.length;
    await app.interact(
      buttonClick({
        actionId: 'incident_catch_up',
        value: String(incident.id),
        userId: BYSTANDER,
        channelId: incident.channelId as string,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    const posted = fake.responseUrlPosts.slice(before);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0].body)).toContain(`Incident Commander <@${COMMANDER}>`);
  });
});

describe('/dispatch: one root command', () => {
  let context: Context;
  beforeAll(async () => {
    context = await startApp({ SLACK_RESTRICTED_COMMANDS: '/dispatch-mark-closed' });
  });
  afterAll(() => stopApp(context));

  test('help lists the lifecycle verbs in an incident channel, and /dispatch stable marks it stable', async () => {
    const { app, fake } = context;
    const incident = await reportWithCommander(app);
    const help = (await run(app, 'help', incident)).json();
    expect(help.response_type).not.toBe('in_channel');
    const text = JSON.stringify(help);
    expect(text).toContain('`/dispatch stable`');
    expect(text).toContain('`/dispatch close`');
    expect(text).toContain('`/dispatch status-report`');
    expect(text).toContain('`/dispatch catchup`');

    const before = fake.messagesIn(incident.channelId as string).length;
    const answer = await run(app, 'stable', incident);
    expect(answer.status).toBe(200);
    expect((await app.deps.incidents.require(incident.id)).status).toBe('stable');
    const added = fake.messagesIn(incident.channelId as string).slice(before);
    expect(added).toHaveLength(1);
    expect(blockText(added[0])).toContain(`<@${COMMANDER}> marked ${incident.name} *Stable*`);
  });

  test('SLACK_RESTRICTED_COMMANDS applies to the verbs: help leaves them out, and running one is refused', async () => {
    const { app } = context;
    const incident = await reportWithCommander(app);
    await app.event(memberJoined(BYSTANDER, incident.channelId as string));
    await app.settle();
    const help = JSON.stringify((await run(app, '', incident, BYSTANDER)).json());
    expect(help).toContain('`/dispatch stable`');
    expect(help).toContain('Only the Incident Commander or a Scribe can `/dispatch close`');
    const refused = (await run(app, 'close', incident, BYSTANDER)).json();
    expect(String(refused.text)).toContain('only the Incident Commander');
    expect((await app.deps.incidents.require(incident.id)).status).toBe('active');
  });

  test('elsewhere, help says how to report and where their open incidents are; unknown verbs get help', async () => {
    const { app } = context;
    const incident = await reportWithCommander(app);
    const answer = await app.command('/dispatch', { text: 'frobnicate', channel_id: 'C0GENERAL1', user_id: COMMANDER });
    const text = JSON.stringify(answer.json());
    expect(text).toContain('`frobnicate` isn');
    expect(text).toContain('`/dispatch report [title]`');
    expect(text).toContain(`*${incident.name}*`);
    const stranger = JSON.stringify((await app.command('/dispatch', { text: '', channel_id: 'C0GENERAL1', user_id: 'U0STRANGER' })).json());
    expect(stranger).toContain('_None right now._');
  });

  test('/dispatch report [title] opens the report form with the title', async () => {
    const { app } = context;
    await app.command('/dispatch', { text: 'report Search is slow', channel_id: 'C0GENERAL1', user_id: REPORTER });
    await app.settle();
    expect(JSON.stringify(openedView(app))).toContain('Search is slow');
  });
});

describe('follow without joining', () => {
  let context: Context;
  beforeAll(async () => {
    context = await startApp();
  });
  afterAll(() => stopApp(context));

  const followDms = (fake: FakeSlack, follower = FOLLOWER) => dmsTo(fake, follower).map((call) => blockText(call.args));

  test('Follow on the announcement: DMs for status changes and status reports, none after close', async () => {
    const { app, fake, announcementsId } = context;
    const incident = await reportWithCommander(app);
    const announcement = fake.messagesIn(announcementsId)[0];
    expect(blockText(announcement)).toContain('"action_id":"incident_follow"');
    await app.interact(
      buttonClick({
        actionId: 'incident_follow',
        value: String(incident.id),
        userId: FOLLOWER,
        channelId: announcementsId,
        messageTs: announcement.ts,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    expect(JSON.stringify(fake.responseUrlPosts[fake.responseUrlPosts.length - 1].body)).toContain("You're following");

    await run(app, 'stable', incident);
    expect(followDms(fake)).toHaveLength(1);
    expect(followDms(fake)[0]).toContain('is now *Stable*');

    await postReport(app, incident);
    expect(followDms(fake)).toHaveLength(2);
    expect(followDms(fake)[1]).toContain(REPORT.conditions);

    await closeWithResolution(app, incident, 'Replication fixed');
    expect(followDms(fake)).toHaveLength(3);
    expect(followDms(fake)[2]).toContain('Replication fixed');

    // After close: nothing more, even when it is reopened and reported on.
    await run(app, 'active', incident);
    await postReport(app, incident);
    expect(followDms(fake)).toHaveLength(3);
    expect(await app.deps.follows.followers(incident.id)).toEqual([]);
  });

  test("a follower's DM waits out a Slack outage in the work queue and arrives once", async () => {
    const { app, fake } = context;
    const follower = 'U0FOLLOWR3';
    const incident = await reportWithCommander(app);
    await app.command('/dispatch', { text: `follow ${incident.name}`, channel_id: 'C0GENERAL1', user_id: follower });
    await app.settle();
    // Slack answers 503 to the next posts (the channel's line and the DM, each with its quick retries).
    fake.httpErrorNext('chat.postMessage', 503, 8);
    await run(app, 'stable', incident);
    const deadline = Date.now() + 30_000;
    while (followDms(fake, follower).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await app.settle();
    expect(followDms(fake, follower)).toHaveLength(1);
    expect(followDms(fake, follower)[0]).toContain('is now *Stable*');
  }, 40_000);

  test('/dispatch follow and unfollow by name; restricted incidents only for their participants', async () => {
    const { app, fake } = context;
    const open = await reportWithCommander(app);
    await app.command('/dispatch', { text: `follow ${open.name}`, channel_id: 'C0GENERAL1', user_id: SECOND_FOLLOWER });
    await app.settle();
    await run(app, 'stable', open);
    expect(followDms(fake, SECOND_FOLLOWER)).toHaveLength(1);
    await app.command('/dispatch', { text: `unfollow ${open.name}`, channel_id: 'C0GENERAL1', user_id: SECOND_FOLLOWER });
    await app.settle();
    await postReport(app, open);
    expect(followDms(fake, SECOND_FOLLOWER)).toHaveLength(1);

    const restricted = await reportIncident(app, { title: 'Secret thing', answers: { commander: COMMANDER, visibility: 'restricted' } });
    const before = fake.responseUrlPosts.length;
    await app.command('/dispatch', { text: `follow ${restricted.name}`, channel_id: 'C0GENERAL1', user_id: SECOND_FOLLOWER });
    await app.settle();
    expect(JSON.stringify(fake.responseUrlPosts.slice(before))).toContain('only the people working on it can follow it');
    expect(await app.deps.follows.followers(restricted.id)).toEqual([]);
    await app.command('/dispatch', { text: `follow ${restricted.name}`, channel_id: 'C0GENERAL1', user_id: COMMANDER });
    await app.settle();
    expect(await app.deps.follows.followers(restricted.id)).toEqual([COMMANDER]);
  });
});
