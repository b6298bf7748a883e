import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLACK_EVENT_WORK } from '../../server/receiver/eventInbox';
import { Store } from '../../store';
import type { TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { COMMANDER, reportIncident } from '../support/incidentFlow';
import { channelMessage, envelope, reactionAdded } from '../support/payloads';
import { APP_ID, TestApp } from '../support/testApp';

const AUTHOR = 'U0AUTHOR01';

function fileDatabase(): TestDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'dispatch-inbox-'));
  return {
    kind: 'sqlite',
    url: `sqlite:${join(directory, 'dispatch.db')}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

describe('the event inbox', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
    fake.addUser({ id: AUTHOR, name: 'ada', real_name: 'Ada Lovelace' });
  });
  afterEach(async () => {
    await fake.stop();
  });

  test('an event Slack heard 200 for is in the database, with its payload, before its effect runs', async () => {
    const app = await TestApp.start({ fake });
    try {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channel = incident.channelId as string;
      const message = fake.addMessage({ channel, user: AUTHOR, text: 'Rolled back deploy 42', ts: '1700000000.000100' });
      // Slack answers slowly, so the effect is still running when the ack has been sent.
      fake.setLatency(500, 'conversations.history');
      const event = envelope(reactionAdded(COMMANDER, 'stopwatch', channel, message.ts, AUTHOR));
      const answer = await app.event(event);
      expect(answer.status).toBe(200);
      const stored = await app.deps.store.workQueue.find(SLACK_EVENT_WORK, event.event_id);
      expect(stored?.payload).toMatchObject({
        body: { event_id: event.event_id, event: { type: 'reaction_added', reaction: 'stopwatch' } },
      });
      await app.settle();
      expect((await app.deps.store.workQueue.find(SLACK_EVENT_WORK, event.event_id))?.status).toBe('done');
      expect((await app.deps.timeline.list(incident.id)).filter((entry) => entry.kind === 'message')).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });

  test('an event accepted by a process that died before running it is run by the next one to start, once', async () => {
    const database = fileDatabase();
    const keep: TestDatabase = { ...database, drop: async () => undefined };
    const first = await TestApp.start({ fake, database: keep });
    const incident = await reportIncident(first, { answers: { commander: COMMANDER } });
    const channel = incident.channelId as string;
    await first.stop();
    const message = fake.addMessage({ channel, user: AUTHOR, text: 'Failover to the standby database', ts: '1700000001.000200' });

    // What a killed process leaves: the stored event, leased to it, the lease run out.
    const event = envelope(reactionAdded(COMMANDER, 'stopwatch', channel, message.ts, AUTHOR));
    const store = await Store.open(database.url);
    await store.workQueue.enqueue({
      kind: SLACK_EVENT_WORK,
      dedupeKey: event.event_id,
      payload: { body: JSON.parse(JSON.stringify(event)), retryNum: null, retryReason: null },
      runAfter: new Date(Date.now() - 120_000),
    });
    const [leased] = await store.workQueue.claim({
      owner: 'killed-replica',
      kinds: [SLACK_EVENT_WORK],
      limit: 1,
      now: new Date(Date.now() - 60_000),
      leaseMs: 30_000,
    });
    expect(leased?.leaseOwner).toBe('killed-replica');
    await store.close();

    const second = await TestApp.start({ fake, database });
    try {
      await second.settle();
      const entries = (await second.deps.timeline.list(incident.id)).filter((entry) => entry.kind === 'message');
      expect(entries.map((entry) => entry.text)).toEqual(['Failover to the standby database']);
      // Slack retrying it now changes nothing.
      expect((await second.event(event, { retryNum: 1 })).status).toBe(200);
      await second.settle();
      expect((await second.deps.timeline.list(incident.id)).filter((entry) => entry.kind === 'message')).toHaveLength(1);
      expect((await second.deps.store.workQueue.find(SLACK_EVENT_WORK, event.event_id))?.attempts).toBe(2);
    } finally {
      await second.stop();
    }
  });

  test('a message run again after a crash between its effect and its completion is counted once', async () => {
    const database = fileDatabase();
    const keep: TestDatabase = { ...database, drop: async () => undefined };
    const first = await TestApp.start({ fake, database: keep });
    const incident = await reportIncident(first, { answers: { commander: COMMANDER } });
    const channel = incident.channelId as string;
    const event = envelope(channelMessage(AUTHOR, channel, 'Looking at the replica lag'));
    expect((await first.event(event)).status).toBe(200);
    await first.settle();
    expect((await first.deps.participants.find(incident.id, AUTHOR))?.messageCount).toBe(1);
    await first.stop();

    // What a process killed after the count committed, before the item was marked done, leaves.
    const store = await Store.open(database.url);
    const stored = await store.workQueue.find(SLACK_EVENT_WORK, event.event_id);
    await store.db
      .updateTable('work_items')
      .set({
        status: 'pending',
        finished_at: null,
        lease_owner: 'killed-replica',
        lease_until: new Date(Date.now() - 60_000).toISOString(),
        next_attempt_at: new Date(Date.now() - 120_000).toISOString(),
      })
      .where('id', '=', stored?.id ?? -1)
      .execute();
    await store.close();

    const second = await TestApp.start({ fake, database });
    try {
      await second.settle();
      expect((await second.deps.store.workQueue.find(SLACK_EVENT_WORK, event.event_id))?.status).toBe('done');
      expect((await second.deps.participants.find(incident.id, AUTHOR))?.messageCount).toBe(1);
    } finally {
      await second.stop();
    }
  });

  test('when the event cannot be stored, Slack gets 503 (and retries) instead of a 200 for nothing', async () => {
    const app = await TestApp.start({ fake });
    try {
      await app.deps.store.close();
      const answer = await app.event(envelope(reactionAdded(COMMANDER, 'stopwatch', 'C0GENERAL1', '1700000002.000300', AUTHOR)));
      expect(answer.status).toBe(503);
      expect(answer.text).toBe('');
    } finally {
      await app.stop().catch(() => undefined);
    }
  });
});
