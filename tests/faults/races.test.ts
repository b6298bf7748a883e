/**
 * Issue 10, cases 3 and 4: one change takes effect once, however many people (or replicas)
 * race to make it, and the same submission delivered twice makes one record.
 * On PostgreSQL the cases run on two app instances sharing one database; on SQLite on one.
 */
import { postgresSchema, postgresUrl, sqliteMemory, type TestDatabase } from '../support/database';
import { FakeSlack, type RecordedCall } from '../support/fakeSlack';
import { COMMANDER, openedView, REPORTER, reportIncident } from '../support/incidentFlow';
import { viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

/** The same database for another app instance: only the test drops it, at the end. */
const shared = (database: TestDatabase): TestDatabase => ({ ...database, drop: async () => undefined });

interface Replicas {
  fake: FakeSlack;
  apps: TestApp[];
  database: TestDatabase;
}

async function startReplicas(kind: 'sqlite' | 'postgres'): Promise<Replicas> {
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  const announcements = fake.addChannel({ name: 'incidents', is_private: false });
  const env = { SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id, STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' };
  if (kind === 'sqlite') {
    const database = sqliteMemory();
    return { fake, database, apps: [await TestApp.start({ fake, database, env })] };
  }
  const database = await postgresSchema();
  const apps = [
    await TestApp.start({ fake, database: shared(database), env }),
    await TestApp.start({ fake, database: shared(database), env }),
  ];
  return { fake, database, apps };
}

async function stopReplicas(replicas: Replicas): Promise<void> {
  for (const app of replicas.apps) await app.stop();
  await replicas.database.drop();
  await replicas.fake.stop();
}

const settleAll = (replicas: Replicas) => Promise.all(replicas.apps.map((app) => app.settle(20_000)));

/** New top-level posts in a channel (thread replies are details of a change, not the change). */
const channelPosts = (fake: FakeSlack, channelId: string): RecordedCall[] =>
  fake.callsTo('chat.postMessage').filter((call) => call.response.ok === true && call.args.channel === channelId && !call.args.thread_ts);

const kinds: Array<'sqlite' | 'postgres'> = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(kinds)('one change takes effect once (%s)', (kind) => {
  let replicas: Replicas;
  beforeEach(async () => {
    replicas = await startReplicas(kind);
  });
  afterEach(() => stopReplicas(replicas));

  const replica = (index: number) => replicas.apps[index % replicas.apps.length];

  test('ten people marking an incident stable at once: one change, one post, the others told plainly', async () => {
    const { fake } = replicas;
    const incident = await reportIncident(replica(0), { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    const postsBefore = channelPosts(fake, channelId).length;
    const responsesBefore = fake.responseUrlPosts.length;

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        replica(index).command('/dispatch-mark-stable', { channel_id: channelId, user_id: `U0RACER0${index}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    await settleAll(replicas);

    expect(channelPosts(fake, channelId).length - postsBefore).toBe(1);
    const record = await replica(0).deps.store.incidents.getById(incident.id);
    expect(record.status).toBe('stable');
    const statusEvents = (await replica(0).deps.timeline.list(incident.id)).filter((event) => event.kind === 'status');
    expect(statusEvents).toHaveLength(1);
    // Each of the nine others hears that it is already stable, privately (ack or response_url).
    const privateReplies = [
      ...answers.map((answer) => answer.text),
      ...fake.responseUrlPosts.slice(responsesBefore).map((post) => JSON.stringify(post.body)),
    ].filter((text) => /already stable/i.test(text));
    expect(privateReplies.length).toBeGreaterThanOrEqual(9);
  });

  test('ten people reopening a stable incident at once: one change, one post', async () => {
    const { fake } = replicas;
    const incident = await reportIncident(replica(0), { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    await replica(0).command('/dispatch-mark-stable', { channel_id: channelId, user_id: COMMANDER });
    await settleAll(replicas);
    const postsBefore = channelPosts(fake, channelId).length;

    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        replica(index).command('/dispatch-mark-active', { channel_id: channelId, user_id: `U0RACER0${index}` }),
      ),
    );
    await settleAll(replicas);

    expect(channelPosts(fake, channelId).length - postsBefore).toBe(1);
    const statusEvents = (await replica(0).deps.timeline.list(incident.id)).filter((event) => event.kind === 'status');
    expect(statusEvents).toHaveLength(2);
  });

  test('the same status report submission delivered twice stores and posts one report', async () => {
    const { fake } = replicas;
    const incident = await reportIncident(replica(0), { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    await replica(0).command('/dispatch-status-report', { channel_id: channelId, user_id: COMMANDER });
    await settleAll(replicas);
    const submission = viewSubmission(
      openedView(replica(0), (call) => (call.args.view as { callback_id?: string }).callback_id === 'status_report'),
      { conditions: 'Errors at 5%', actions: 'Rolled back deploy 42', needs: 'Nothing' },
      COMMANDER,
    );
    const answers = await Promise.all([replica(0).interact(submission), replica(1).interact(submission)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await settleAll(replicas);

    expect(await replica(0).deps.store.reports.history(incident.id)).toHaveLength(1);
    const reportPosts = channelPosts(fake, channelId).filter((call) => JSON.stringify(call.args).includes('Rolled back deploy 42'));
    expect(reportPosts).toHaveLength(1);
  });

  test('the same report-incident submission delivered twice creates one incident and one channel', async () => {
    const { fake } = replicas;
    await replica(0).command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: REPORTER, channel_id: 'C0GENERAL1' });
    await settleAll(replicas);
    const submission = viewSubmission(openedView(replica(0)), { description: 'HTTP 500 on checkout', priority: 'High' }, REPORTER);
    const createsBefore = fake.callsTo('conversations.create').length;
    const answers = await Promise.all([replica(0).interact(submission), replica(1).interact(submission)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await settleAll(replicas);

    expect(await replica(0).deps.store.incidents.listRecent(10)).toHaveLength(1);
    expect(fake.callsTo('conversations.create').filter((call) => call.response.ok === true).length - createsBefore).toBe(1);
  });
});
