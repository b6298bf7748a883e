import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLACK_EVENT_WORK } from '../../server/receiver/eventInbox';
import { Store } from '../../store';
import { FakeSlack } from '../support/fakeSlack';
import { envelope, reactionAdded } from '../support/payloads';
import { signedHeaders } from '../support/signing';
import { APP_ID, BOT_TOKEN, SIGNING_SECRET } from '../support/testApp';
import { AppProcess, freePort } from './support/appProcess';

const KILLS = Number(process.env.KILL_COUNT ?? 3);
const CHANNEL = 'G0KILLTEST1';
const AUTHOR = 'U0AUTHOR01';
const REACTOR = 'U0REACTOR1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
  ts: string;
  text: string;
  body: string;
  attempts: number;
  acknowledged: boolean;
}

describe('kill -9 under a stream of timeline reactions', () => {
  let fake: FakeSlack;
  let directory: string;
  let databaseUrl: string;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    fake.addUser({ id: AUTHOR, name: 'ada', real_name: 'Ada Lovelace' });
    fake.addChannel({ id: CHANNEL, name: 'dispatch-1-kill', is_private: true });
    directory = mkdtempSync(join(tmpdir(), 'dispatch-kill-'));
    databaseUrl = `sqlite:${join(directory, 'dispatch.db')}`;
  });
  afterAll(async () => {
    if (app?.alive) app.kill('SIGKILL');
    await fake.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  test(`${KILLS} kills on the same database: every acknowledged event takes effect, none twice`, async () => {
    // The incident whose channel the reactions are in.
    const seed = await Store.open(databaseUrl);
    const incident = await seed.transaction((repos) =>
      repos.incidents.insert({
        namePrefix: 'dispatch',
        title: 'Database failover',
        description: 'Primary is unreachable',
        type: 'Availability',
        priority: 'High',
        visibility: 'open',
        reporterId: REACTOR,
        reportedAt: new Date(),
      }),
    );
    await seed.incidents.update(incident.id, { channelId: CHANNEL, channelName: 'dispatch-1-kill' }, new Date());
    await seed.close();

    // Slack is a little slow, so at each kill some acknowledged events are still being worked on.
    fake.setLatency(40, 'conversations.history');
    const port = await freePort();
    const env = { WORK_LEASE: '2s', LOG_LEVEL: process.env.KILL_LOG_LEVEL ?? 'warn' };
    app = await AppProcess.start({ fake, databaseUrl, port, env });

    const deliveries: Delivery[] = [];
    let sequence = 0;
    let streaming = true;
    const newDelivery = (): Delivery => {
      sequence += 1;
      const text = `timeline entry ${sequence}`;
      const message = fake.addMessage({ channel: CHANNEL, user: AUTHOR, text, ts: `1700000000.${String(sequence).padStart(6, '0')}` });
      const body = JSON.stringify(envelope(reactionAdded(REACTOR, 'stopwatch', CHANNEL, message.ts, AUTHOR)));
      const delivery = { ts: message.ts, text, body, attempts: 0, acknowledged: false };
      deliveries.push(delivery);
      return delivery;
    };
    /** Delivers like Slack: until a 200, retrying what got no answer (with x-slack-retry-num). */
    const deliver = async (delivery: Delivery) => {
      const headers =
        delivery.attempts > 0 ? { 'x-slack-retry-num': String(delivery.attempts), 'x-slack-retry-reason': 'http_error' } : undefined;
      delivery.attempts += 1;
      try {
        const current = app as AppProcess;
        const signed = headers ? { ...signedHeaders(SIGNING_SECRET, delivery.body), ...headers } : undefined;
        const answer = await current.post('/api/v1/events/slack/event', delivery.body, 'application/json', signed);
        if (answer.status === 200) delivery.acknowledged = true;
      } catch {
        // The process was killed mid-request, or is restarting: no answer, so Slack retries later.
        await sleep(50);
      }
    };
    // About 40 events a second in all: a busy incident channel, not a flood (the burst test is that).
    const stream = async () => {
      while (streaming) {
        const retry = deliveries.find((delivery) => !delivery.acknowledged && delivery.attempts < 4);
        await deliver(retry && Math.random() < 0.5 ? retry : newDelivery());
        await sleep(150);
      }
    };

    const streams = Array.from({ length: 6 }, stream);
    for (let kill = 0; kill < KILLS; kill += 1) {
      await sleep(1_500 + Math.random() * 1_000);
      const victim = app;
      victim.kill('SIGKILL');
      const exit = await victim.exited;
      expect(exit.signal).toBe('SIGKILL');
      await sleep(200);
      app = await AppProcess.start({ fake, databaseUrl, port, env });
    }
    await sleep(1_000);
    streaming = false;
    await Promise.all(streams);
    // Slack keeps retrying what was never acknowledged.
    const unanswered = deliveries.filter((delivery) => !delivery.acknowledged);
    for (let start = 0; start < unanswered.length; start += 8) await Promise.all(unanswered.slice(start, start + 8).map(deliver));

    // The last process finishes the inbox, including what killed ones had leased.
    const reader = await Store.open(databaseUrl);
    const deadline = Date.now() + 120_000;
    while ((await reader.workQueue.countUnfinished([SLACK_EVENT_WORK])) > 0 && Date.now() < deadline) await sleep(200);
    expect(await reader.workQueue.countUnfinished([SLACK_EVENT_WORK])).toBe(0);
    await app.stop();

    const entries = await reader.db
      .selectFrom('timeline_events')
      .select(['text', 'dedupe_key'])
      .where('incident_id', '=', incident.id)
      .where('kind', '=', 'message')
      .execute();
    const failedWork = await reader.db.selectFrom('work_items').select('id').where('status', '=', 'failed').execute();
    await reader.close();

    const acknowledged = deliveries.filter((delivery) => delivery.acknowledged);
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.text, (counts.get(entry.text) ?? 0) + 1);
    const lost = acknowledged.filter((delivery) => !counts.has(delivery.text));
    const duplicated = [...counts.entries()].filter(([, count]) => count > 1);
    process.stdout.write(
      `kill -9: ${KILLS} kills, ${deliveries.length} events sent, ${acknowledged.length} acknowledged, ${entries.length} timeline entries checked, lost ${lost.length}, duplicated ${duplicated.length}\n`,
    );
    if (lost.length > 0) process.stdout.write(`last process's log:\n${app.stdout().slice(-3000)}\n${app.stderr().slice(-2000)}\n`);
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(lost.map((delivery) => delivery.text)).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(failedWork).toEqual([]);
  }, 300_000);
});
