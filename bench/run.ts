/**
 * Benchmarks of the real app over signed HTTP against the fake Slack Web API.
 *
 *   npm run bench                       # SQLite file in a temp folder
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench
 *
 * Prints ack latencies (what Slack's 3-second rule is about), end-to-end setup times and
 * event throughput. Figures depend on the machine; they are for comparing changes, not tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSettings } from '../config';
import { createLogger } from '../logging/logger';
import { type RunningDispatch, startDispatch } from '../server/startDispatch';
import { postgresSchema, type TestDatabase } from '../tests/support/database';
import { FakeSlack } from '../tests/support/fakeSlack';
import { channelMessage, envelope, slashCommand, viewSubmission } from '../tests/support/payloads';
import { signedHeaders } from '../tests/support/signing';
import { BOT_TOKEN, SIGNING_SECRET, testEnv } from '../tests/support/testApp';

interface Sample {
  ms: number;
  status: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarise(name: string, samples: Sample[], wallMs: number): string {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const failed = samples.filter((sample) => sample.status !== 200).length;
  const cells = [
    name.padEnd(44),
    String(samples.length).padStart(6),
    percentile(sorted, 50).toFixed(1).padStart(8),
    percentile(sorted, 95).toFixed(1).padStart(8),
    percentile(sorted, 99).toFixed(1).padStart(8),
    (sorted[sorted.length - 1] ?? Number.NaN).toFixed(1).padStart(8),
    ((samples.length / wallMs) * 1000).toFixed(0).padStart(8),
    String(failed).padStart(6),
  ];
  return cells.join(' ');
}

/** Runs `count` jobs with at most `concurrency` at once, timing each. */
async function load(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<number>,
): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      const before = performance.now();
      const status = await job(index);
      samples.push({ ms: performance.now() - before, status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, wallMs: performance.now() - started };
}

async function post(base: string, path: string, body: string, contentType: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signedHeaders(SIGNING_SECRET, body), ...headers },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const form = (payload: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString();

async function main(): Promise<void> {
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  const folder = mkdtempSync(join(tmpdir(), 'dispatch-bench-'));
  const database: TestDatabase = process.env.BENCH_DATABASE_URL
    ? await postgresSchema(process.env.BENCH_DATABASE_URL)
    : { kind: 'sqlite', url: `sqlite:${join(folder, 'bench.db')}`, drop: async () => undefined };
  const announcements = fake.addChannel({ name: 'incidents' });
  const settings = loadSettings(testEnv(fake, database, { LOG_LEVEL: 'error', SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id }));
  const logger = createLogger({ level: 'error', format: 'json', secrets: [], stream: new PassThrough() });
  const running: RunningDispatch = await startDispatch({ settings, logger });
  const base = `http://127.0.0.1:${running.port}`;
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const rows: string[] = [];

  // 1. Reporting: the command (ack + views.open), then the form submission (ack), then the whole setup.
  const reports = Number(process.env.BENCH_INCIDENTS ?? 100);
  const commandRun = await load(reports, concurrency, (index) =>
    post(
      base,
      '/api/v1/events/slack/command',
      form(
        slashCommand({
          command: '/dispatch-report-incident',
          text: `Bench incident ${index}`,
          trigger_id: fake.issueTriggerId(),
          response_url: fake.responseUrl(),
        }),
      ),
      'application/x-www-form-urlencoded',
    ),
  );
  rows.push(summarise('report command: ack', commandRun.samples, commandRun.wallMs));
  await running.idle(60_000);
  const views = fake.callsTo('views.open').map((call) => call.args.view as Record<string, unknown>);
  const setupStarted = performance.now();
  const submitRun = await load(views.length, concurrency, (index) =>
    post(
      base,
      '/api/v1/events/slack/action',
      new URLSearchParams({
        payload: JSON.stringify(viewSubmission(views[index], { description: 'bench', priority: 'High' }, 'U0REPORTER')),
      }).toString(),
      'application/x-www-form-urlencoded',
    ),
  );
  rows.push(summarise('report form: ack', submitRun.samples, submitRun.wallMs));
  await running.idle(120_000);
  const setupMs = performance.now() - setupStarted;
  const incidents = await running.deps.store.incidents.listRecent(reports);
  const setUp = incidents.filter((incident) => incident.summaryTs).length;

  // 2. Status commands in incident channels.
  const channels = incidents.map((incident) => incident.channelId as string);
  const statusRun = await load(channels.length, concurrency, (index) =>
    post(
      base,
      '/api/v1/events/slack/command',
      form(
        slashCommand({
          command: '/dispatch-mark-stable',
          channel_id: channels[index],
          trigger_id: fake.issueTriggerId(),
          response_url: fake.responseUrl(),
        }),
      ),
      'application/x-www-form-urlencoded',
    ),
  );
  rows.push(summarise('mark-stable in incident channel: ack', statusRun.samples, statusRun.wallMs));
  await running.idle(60_000);

  // 3. Events: every message delivered three times (Slack's retries); each must count once.
  const events = Number(process.env.BENCH_EVENTS ?? 1000);
  const bodies = Array.from({ length: events }, (_, index) =>
    JSON.stringify(envelope(channelMessage(`U0BENCH${index % 50}`, channels[index % channels.length], 'bench'))),
  );
  const eventRun = await load(events * 3, concurrency, (index) =>
    post(
      base,
      '/api/v1/events/slack/event',
      bodies[index % events],
      'application/json',
      index >= events ? { 'x-slack-retry-num': '1' } : {},
    ),
  );
  rows.push(summarise('message events (x3 deliveries): ack', eventRun.samples, eventRun.wallMs));
  await running.idle(60_000);

  const header = ['scenario'.padEnd(44), 'n'.padStart(6), 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'non200'].map((cell, index) =>
    index === 0 ? cell : cell.padStart(index === 1 ? 6 : 8),
  );
  console.log(`Dispatch for Slack benchmark — database ${database.kind}, concurrency ${concurrency}, node ${process.version}`);
  console.log(header.join(' '));
  for (const row of rows) console.log(row);
  console.log(
    `incident setup: ${setUp}/${reports} incidents fully set up in ${setupMs.toFixed(0)} ms (${(setupMs / Math.max(1, setUp)).toFixed(1)} ms each, Slack calls included)`,
  );
  const processed = await running.deps.store.db
    .selectFrom('processed_events')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  console.log(`events: ${events * 3} deliveries, ${Number(processed.count)} distinct event ids recorded`);

  await running.stop();
  await fake.stop();
  await database.drop();
  rmSync(folder, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
