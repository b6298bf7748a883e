import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenericMessageEvent } from '@slack/types';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { channelMessage, memberJoined } from '../support/payloads';
import { APP_ID, TestApp } from '../support/testApp';

// Not an incident channel: whatever listeners exist do nothing visible here. The assertions are
// on the global middleware, which runs before any listener.
const GENERAL = 'C0GENERAL1';
const ALICE = 'U0ALICE001';
const SKIPPED = 'skipped an event delivered before';
const IGNORED = 'ignored an event caused by this app';

let sequence = 0;
/** A fresh Events API event id, as Slack makes them. */
const newEventId = () => `Ev0ONCE${Date.now().toString(36).toUpperCase()}${(sequence++).toString(36).toUpperCase()}`;

/** The event ids the app's inbox recorded as taken in (and, once settled, processed). */
async function recordedEventIds(app: TestApp): Promise<string[]> {
  const rows = await app.deps.store.db
    .selectFrom('work_items')
    .select(['dedupe_key', 'status'])
    .where('kind', '=', 'slack.event')
    .orderBy('dedupe_key')
    .execute();
  expect(rows.filter((row) => row.status !== 'done')).toEqual([]);
  return rows.map((row) => row.dedupe_key ?? '');
}

/** The app's log lines with this message, parsed. */
function logLines(app: TestApp, message: string): Array<Record<string, unknown>> {
  return app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === message);
}

describe('an event Slack delivers again is processed once', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await TestApp.start();
  });
  afterEach(async () => {
    await app.stop();
  });

  test('delivered three times (then retried as 1 and 2), it is recorded once and skipped twice', async () => {
    const eventId = newEventId();
    const event = memberJoined(ALICE, GENERAL);
    const first = await app.event(event, { eventId });
    const second = await app.event(event, { eventId, retryNum: 1 });
    const third = await app.event(event, { eventId, retryNum: 2 });
    await app.settle();

    // Every delivery is acknowledged, so Slack stops retrying.
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(await recordedEventIds(app)).toEqual([eventId]);
    const skipped = logLines(app, SKIPPED);
    expect(skipped).toHaveLength(2);
    expect(skipped.map((line) => [line.eventId, line.retryNum, line.retryReason])).toEqual([
      [eventId, 1, 'http_timeout'],
      [eventId, 2, 'http_timeout'],
    ]);
    // Each skip is logged with the request it belongs to.
    expect(skipped[0]).toMatchObject({ kind: 'event', eventType: 'member_joined_channel', user: ALICE, channel: GENERAL });
  });

  test('different events are each taken in', async () => {
    const ids = [newEventId(), newEventId()].sort();
    for (const eventId of ids) await app.event(memberJoined(ALICE, GENERAL), { eventId });
    await app.settle();
    expect(await recordedEventIds(app)).toEqual(ids);
    expect(logLines(app, SKIPPED)).toEqual([]);
  });

  test('the same event delivered again in parallel is still taken in once', async () => {
    const eventId = newEventId();
    const event = memberJoined(ALICE, GENERAL);
    const answers = await Promise.all([0, 1, 2].map((retryNum) => app.event(event, { eventId, retryNum })));
    await app.settle();
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(await recordedEventIds(app)).toEqual([eventId]);
    expect(logLines(app, SKIPPED)).toHaveLength(2);
  });

  describe('events this app caused are ignored, and not even recorded', () => {
    test('event.app_id is this app', async () => {
      const eventId = newEventId();
      const answer = await app.event({ ...channelMessage(ALICE, GENERAL, 'posted by Dispatch'), app_id: APP_ID }, { eventId });
      await app.settle();
      expect(answer.status).toBe(200);
      expect(await recordedEventIds(app)).toEqual([]);
      expect(logLines(app, IGNORED)).toEqual([expect.objectContaining({ eventType: 'message' })]);
    });

    test('event.bot_profile.app_id is this app', async () => {
      const profile: NonNullable<GenericMessageEvent['bot_profile']> = {
        id: 'B0BOT00001',
        name: 'dispatch',
        app_id: APP_ID,
        team_id: 'T0TEAM0001',
        icons: {},
        updated: 1700000000,
        deleted: false,
      };
      const eventId = newEventId();
      await app.event({ ...channelMessage(ALICE, GENERAL, 'posted by Dispatch'), bot_id: 'B0BOT00001', bot_profile: profile }, { eventId });
      await app.settle();
      expect(await recordedEventIds(app)).toEqual([]);
      expect(logLines(app, IGNORED)).toHaveLength(1);
    });

    test("the event's user is the app's bot user", async () => {
      const eventId = newEventId();
      await app.event(memberJoined(app.fake.botUserId, GENERAL), { eventId });
      await app.settle();
      expect(await recordedEventIds(app)).toEqual([]);
      expect(logLines(app, IGNORED)).toEqual([expect.objectContaining({ eventType: 'member_joined_channel' })]);
    });

    test('another app authored it: processed', async () => {
      const eventId = newEventId();
      await app.event({ ...channelMessage(ALICE, GENERAL, 'posted by another bot'), app_id: 'A0OTHERAPP' }, { eventId });
      await app.settle();
      expect(await recordedEventIds(app)).toEqual([eventId]);
      expect(logLines(app, IGNORED)).toEqual([]);
    });

    test('only api_app_id (on every delivery to this app) is this app: processed', async () => {
      const eventId = newEventId();
      await app.event(memberJoined(ALICE, GENERAL), { eventId });
      await app.settle();
      expect(await recordedEventIds(app)).toEqual([eventId]);
      expect(logLines(app, IGNORED)).toEqual([]);
    });
  });
});

/** Two instances of the app sharing one fake Slack and one database, as replicas do. */
async function startReplicas(shared: TestDatabase) {
  const fake = await FakeSlack.start({ appId: APP_ID });
  // Only the last instance to stop may drop the shared database.
  const keep: TestDatabase = { ...shared, drop: async () => undefined };
  // Started together: both migrate the fresh database at the same time, as replicas booting do.
  const [one, two] = await Promise.all([TestApp.start({ fake, database: keep }), TestApp.start({ fake, database: shared })]);
  return {
    one,
    two,
    async stop() {
      await one.stop();
      await two.stop();
      await fake.stop();
    },
  };
}

/** Sends each event to both replicas at once (one as Slack's retry); exactly one takes each in. */
async function expectEachEventProcessedOnce(replicas: Awaited<ReturnType<typeof startReplicas>>) {
  const { one, two } = replicas;
  const ids = Array.from({ length: 5 }, newEventId).sort();
  for (const eventId of ids) {
    const event = memberJoined(ALICE, GENERAL);
    const answers = await Promise.all([one.event(event, { eventId }), two.event(event, { eventId, retryNum: 1 })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  }
  await Promise.all([one.settle(), two.settle()]);

  // One database: both see the same single record per event.
  expect(await recordedEventIds(one)).toEqual(ids);
  expect(await recordedEventIds(two)).toEqual(ids);
  // For each event exactly one replica skipped it: five skips in all, one per event.
  const skipped = [...logLines(one, SKIPPED), ...logLines(two, SKIPPED)];
  expect(skipped.map((line) => line.eventId).sort()).toEqual(ids);
}

(postgresUrl ? test : test.skip)('two instances on one PostgreSQL database: each event is processed by exactly one', async () => {
  const replicas = await startReplicas(await postgresSchema());
  try {
    expect(replicas.one.deps.store.dialect).toBe('postgres');
    await expectEachEventProcessedOnce(replicas);
  } finally {
    await replicas.stop();
  }
});

test('two instances on one SQLite file: each event is processed by exactly one', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'dispatch-replicas-'));
  const database: TestDatabase = {
    kind: 'sqlite',
    url: `sqlite:${join(directory, 'dispatch.db')}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
  const replicas = await startReplicas(database);
  try {
    await expectEachEventProcessedOnce(replicas);
  } finally {
    await replicas.stop();
  }
});
