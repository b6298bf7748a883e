/**
 * Scale of data: the app with 10,000 incidents stored and one incident of 1,000 participants,
 * timed over signed HTTP against the fake Slack (in this process; the figures are the app's
 * own answer times on 127.0.0.1, with no other load).
 *
 *   npm run bench -- --scale                                   # SQLite file in a temp folder
 *   npm run bench -- --scale --database postgres://postgres@127.0.0.1:5432/test
 *
 * Prints list-participants (the ack, which carries the list once profiles are cached) and the
 * App Home tab (app_home_opened to views.publish), p50 and max of 20 each. Goals: < 100 ms and
 * < 200 ms. Printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSettings } from '../config';
import { createLogger } from '../logging/logger';
import { startDispatch } from '../server/startDispatch';
import { Store } from '../store';
import { postgresSchema, type TestDatabase } from '../tests/support/database';
import { FakeSlack } from '../tests/support/fakeSlack';
import { appHomeOpened, envelope, slashCommand } from '../tests/support/payloads';
import { signedHeaders } from '../tests/support/signing';
import { BOT_TOKEN, SIGNING_SECRET, testEnv } from '../tests/support/testApp';

const INCIDENTS = 10_000;
const PARTICIPANTS = 1_000;
const OPEN_EVERY = 50; // one incident in 50 still active or stable, the rest closed

/** Rows straight into the tables (one transaction): the shape the app's own writes leave. */
async function seed(url: string): Promise<{ channelId: string }> {
  const store = await Store.open(url);
  const at = new Date('2026-01-01T00:00:00Z');
  const iso = (minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();
  const channelId = 'C0BIGINCIDENT';
  await store.db.transaction().execute(async (tx) => {
    for (let start = 0; start < INCIDENTS; start += 500) {
      const rows = Array.from({ length: Math.min(500, INCIDENTS - start) }, (_, offset) => {
        const n = start + offset + 1;
        const open = n % OPEN_EVERY === 0 || n === INCIDENTS;
        return {
          name: `dispatch-${n}`,
          title: `Incident ${n}`,
          description: 'Seeded for the scale benchmark',
          resolution: open ? null : 'Resolved',
          status: open ? (n % 2 === 0 ? 'active' : 'stable') : 'closed',
          type: 'Other',
          priority: 'High',
          visibility: n % 7 === 0 ? 'restricted' : 'open',
          reporter_id: 'U0REPORTER',
          channel_id: n === INCIDENTS ? channelId : `C0SEED${n}`,
          channel_name: `dispatch-${n}`,
          summary_ts: null,
          reported_at: iso(n),
          stable_at: null,
          closed_at: open ? null : iso(n + 60),
          updated_at: iso(n + 60),
          reminder_snoozed_until: null,
        };
      });
      await tx.insertInto('incidents').values(rows).execute();
    }
    const big = await tx.selectFrom('incidents').select('id').where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    const people = Array.from({ length: PARTICIPANTS }, (_, index) => `U0SCALE${String(index).padStart(5, '0')}`);
    for (let start = 0; start < people.length; start += 250) {
      const slice = people.slice(start, start + 250);
      await tx
        .insertInto('participants')
        .values(
          slice.map((user, offset) => ({
            incident_id: big.id,
            user_id: user,
            joined_at: iso(INCIDENTS + start + offset),
            left_at: (start + offset) % 10 === 9 ? iso(INCIDENTS + 2000) : null,
            last_activity_at: iso(INCIDENTS + 3000),
            message_count: (start + offset) % 13,
          })),
        )
        .execute();
      await tx
        .insertInto('participant_roles')
        .values(
          slice.map((user, offset) => ({
            incident_id: big.id,
            user_id: user,
            role: start + offset === 0 ? 'commander' : 'participant',
            assigned_at: iso(INCIDENTS + start + offset),
            assigned_by: null,
            revoked_at: null,
          })),
        )
        .execute();
    }
  });
  await store.close();
  return { channelId };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

export async function runScale(databaseUrl: string | undefined): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'dispatch-scale-'));
  const database: TestDatabase = databaseUrl
    ? await postgresSchema(databaseUrl)
    : { kind: 'sqlite', url: `sqlite:${join(folder, 'scale.db')}`, drop: async () => undefined };
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  try {
    const seedStarted = performance.now();
    const { channelId } = await seed(database.url);
    const seedMs = performance.now() - seedStarted;
    const settings = loadSettings(testEnv(fake, database, { LOG_LEVEL: 'warn' }));
    const logger = createLogger({ level: 'warn', format: 'json', secrets: [], stream: new PassThrough() });
    const running = await startDispatch({ settings, logger });
    const base = `http://127.0.0.1:${running.port}`;
    const post = async (path: string, body: string, contentType: string) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...signedHeaders(SIGNING_SECRET, body) },
        body,
      });
      const text = await response.text();
      return { ms: performance.now() - started, text };
    };
    const listParticipants = () =>
      post(
        '/api/v1/events/slack/command',
        new URLSearchParams(
          Object.entries(
            slashCommand({
              command: '/dispatch-list-participants',
              channel_id: channelId,
              user_id: 'U0SCALE00001',
              response_url: fake.responseUrl(),
            }),
          ).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        ).toString(),
        'application/x-www-form-urlencoded',
      );
    // The first listing looks the shown profiles up in Slack; the rest answer in the ack.
    await listParticipants();
    await running.idle(60_000);
    const lists: number[] = [];
    let inAck = 0;
    for (let n = 0; n < 20; n += 1) {
      const answer = await listParticipants();
      lists.push(answer.ms);
      if (answer.text.includes('blocks')) inAck += 1;
    }
    const homes: number[] = [];
    for (let n = 0; n < 20; n += 1) {
      const user = `U0SCALE${String(n).padStart(5, '0')}`;
      const started = performance.now();
      const published = fake.waitForCall('views.publish', (call) => call.args.user_id === user, 30_000);
      await post('/api/v1/events/slack/event', JSON.stringify(envelope(appHomeOpened(user))), 'application/json');
      await published;
      homes.push(performance.now() - started);
    }
    await running.stop();
    console.log(
      `Scale of data — ${database.kind}: ${INCIDENTS} incidents (1 in ${OPEN_EVERY} open), one of ${PARTICIPANTS} participants; seeded in ${(seedMs / 1000).toFixed(1)} s`,
    );
    console.log('| what | p50 | max | goal |');
    console.log('|---|---|---|---|');
    console.log(
      `| /dispatch-list-participants, ${PARTICIPANTS} participants (answered in the ack ${inAck}/20) | ${percentile(lists, 50).toFixed(1)} ms | ${Math.max(...lists).toFixed(1)} ms | < 100 ms |`,
    );
    console.log(
      `| App Home (app_home_opened to views.publish) | ${percentile(homes, 50).toFixed(1)} ms | ${Math.max(...homes).toFixed(1)} ms | < 200 ms |`,
    );
  } finally {
    await fake.stop();
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}
