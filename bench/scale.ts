/**
 * Scale of data: the app with 10,000 incidents stored (one every 2 hours for ~2.3 years, so the
 * Home tab's 12 weeks of metrics and 30 days of feedback hold real rows) and one incident of
 * 1,000 participants, timed against the fake Slack in this process, on 127.0.0.1.
 *
 *   npm run bench -- --scale                                   # SQLite file in a temp folder
 *   npm run bench -- --scale --database postgres://postgres@127.0.0.1:5432/test
 *   npm run bench -- --scale --runs 60                         # samples of each figure (default 30)
 *
 * What each figure measures (server time: nothing of Slack's own latency, which is ~0 here):
 * - list-participants: signed POST of the command to its HTTP answer, which is the ack carrying
 *   the list (every profile shown is cached after the first listing): the whole request inside
 *   the app plus one loopback round trip. Beside it, its parts measured in-process: the store
 *   read (ParticipantService.list) and the pure renderer, and the message's size against Slack's
 *   limits (50 blocks, 3,000 characters per section).
 * - App Home: in-process, the showHome flow from its call to views.publish answered by the fake
 *   Slack (every query, the rendering, one loopback post); and end to end, a signed
 *   app_home_opened event to the fake Slack receiving views.publish.
 * Each is the p50 and max of N runs; goals < 100 ms and < 200 ms. Printed, never asserted.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSettings } from '../config';
import { createLogger } from '../logging/logger';
import { startDispatch } from '../server/startDispatch';
import { PARTICIPANT_LIST_MAX, participantList } from '../slack/blocks/participantMessages';
import { Store } from '../store';
import { postgresSchema, type TestDatabase } from '../tests/support/database';
import { FakeSlack } from '../tests/support/fakeSlack';
import { appHomeOpened, envelope, slashCommand } from '../tests/support/payloads';
import { analyzeSeeded, type SeededScale, seedScale } from '../tests/support/scaleSeed';
import { signedHeaders } from '../tests/support/signing';
import { BOT_TOKEN, SIGNING_SECRET, testEnv } from '../tests/support/testApp';

const INCIDENTS = 10_000;
const PARTICIPANTS = 1_000;
const OPEN_EVERY = 50; // one incident in 50 still active or stable, the rest closed

async function seed(url: string): Promise<SeededScale> {
  const store = await Store.open(url);
  try {
    const seeded = await seedScale(store.db, {
      incidents: INCIDENTS,
      participants: PARTICIPANTS,
      openEvery: OPEN_EVERY,
      now: new Date(),
      spacingMinutes: 120,
      pool: 500,
    });
    // What a production database has after autovacuum / a while: statistics for the planner.
    await analyzeSeeded(store.db);
    return seeded;
  } finally {
    await store.close();
  }
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const stat = (values: number[]) => `${percentile(values, 50).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Blocks, and the longest section text, of a Block Kit message or view. */
function sizeOf(blocks: unknown): { blocks: number; longestSection: number } {
  const list = Array.isArray(blocks) ? (blocks as Array<{ type?: string; text?: { text?: string } }>) : [];
  const sections = list.filter((block) => block.type === 'section').map((block) => block.text?.text?.length ?? 0);
  return { blocks: list.length, longestSection: Math.max(0, ...sections) };
}

export async function runScale(databaseUrl: string | undefined, runs = 30): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'dispatch-scale-'));
  const database: TestDatabase = databaseUrl
    ? await postgresSchema(databaseUrl)
    : { kind: 'sqlite', url: `sqlite:${join(folder, 'scale.db')}`, drop: async () => undefined };
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  try {
    const seedStarted = performance.now();
    const { channelId, incidentId, people } = await seed(database.url);
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
              user_id: people[1],
              response_url: fake.responseUrl(),
            }),
          ).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        ).toString(),
        'application/x-www-form-urlencoded',
      );
    // The first listing looks the shown profiles up in Slack; the rest answer in the ack.
    await listParticipants();
    await running.idle(60_000);
    const { deps } = running;
    const incident = await deps.incidents.get(incidentId);
    if (!incident) throw new Error('the seeded incident is missing');
    const lists: number[] = [];
    const reads: number[] = [];
    const renders: number[] = [];
    let inAck = 0;
    let listSize = { blocks: 0, longestSection: 0 };
    let listed = 0;
    for (let n = 0; n < runs; n += 1) {
      const answer = await listParticipants();
      lists.push(answer.ms);
      if (answer.text.includes('blocks')) {
        inAck += 1;
        listSize = sizeOf((JSON.parse(answer.text) as { blocks?: unknown }).blocks);
      }
      const read = await timed(() => deps.participants.list(incidentId));
      reads.push(read.ms);
      listed = read.value.length;
      const profiles =
        deps.users.knownProfiles(read.value.slice(0, PARTICIPANT_LIST_MAX).map((participant) => participant.userId)) ?? new Map();
      const started = performance.now();
      participantList(incident, read.value, profiles);
      renders.push(performance.now() - started);
    }
    // Home: people of the big incident, the first ones also in other (open and closed) incidents,
    // with tasks and follow-ups; and one outsider who takes part in nothing.
    const viewers = [...people.slice(0, 10), ...people.slice(600, 610), 'U0OUTSIDER1'];
    const homeFlow: number[] = [];
    const homeEvent: number[] = [];
    let homeSize = { blocks: 0, longestSection: 0 };
    for (let n = 0; n < runs; n += 1) {
      const user = viewers[n % viewers.length];
      const flow = await timed(() => deps.flows.showHome({ userId: user }));
      homeFlow.push(flow.ms);
      const started = performance.now();
      const sentAt = Date.now();
      const published = fake.waitForCall('views.publish', (call) => call.args.user_id === user && call.at >= sentAt, 30_000);
      await post('/api/v1/events/slack/event', JSON.stringify(envelope(appHomeOpened(user))), 'application/json');
      const call = await published;
      homeEvent.push(performance.now() - started);
      if (n === 0) homeSize = sizeOf((call.args.view as { blocks?: unknown }).blocks);
    }
    await running.stop();
    console.log(
      `Scale of data — ${database.kind}: ${INCIDENTS} incidents over ${Math.round((INCIDENTS * 2) / 24)} days (1 in ${OPEN_EVERY} open), one of ${PARTICIPANTS} participants; seeded in ${(seedMs / 1000).toFixed(1)} s; ${runs} runs each`,
    );
    console.log('| what (server time) | p50 | max | goal |');
    console.log('|---|---|---|---|');
    console.log(
      `| /dispatch-list-participants, ${listed} participants: command POST to its HTTP answer (the ack carries the list: ${inAck}/${runs}) | ${stat(lists)} | < 100 ms |`,
    );
    console.log(`| ... of which the store read (ParticipantService.list, in-process) | ${stat(reads)} | |`);
    console.log(`| ... and rendering (participantList, pure) | ${stat(renders)} | |`);
    console.log(
      `| ... the message: ${listSize.blocks} blocks (Slack: ≤ 50), longest section ${listSize.longestSection} chars (≤ 3000) | | | valid |`,
    );
    console.log(
      `| App Home: showHome in-process, call to views.publish answered (${viewers.length} viewers) | ${stat(homeFlow)} | < 200 ms |`,
    );
    console.log(`| App Home end to end: app_home_opened POST to views.publish at the fake Slack | ${stat(homeEvent)} | < 200 ms |`);
    console.log(`| ... the tab: ${homeSize.blocks} blocks (Slack: ≤ 100), longest section ${homeSize.longestSection} chars | | | valid |`);
  } finally {
    await fake.stop();
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}
