/**
 * The app beside a bare Bolt 5 app (listeners that only ack), in one run, on this machine.
 *
 *   npm run bench                                   # SQLite file in a temp folder
 *   npm run bench -- --database postgres://postgres@127.0.0.1:5432/test
 *   npm run bench -- --slot-seconds 2 --rounds 1     # quicker, noisier
 *   npm run bench -- --scale                          # 10,000 incidents, one of 1,000 participants (bench/scale.ts)
 *   npm run bench -- --tsx                            # run the TypeScript through tsx instead of compiling first
 *   npm run bench -- --phases events                  # only these phases (list, events, slow, storm)
 *
 * Both targets run compiled (tsconfig.bench.json, into .bench-build/), as `npm start` runs the
 * app, unless --tsx is given.
 * The app, the anchor and the fake Slack each run in a process of their own (figures of one
 * never include another's CPU or memory); the load comes from this process over 20 keep-alive
 * connections to 127.0.0.1. Each phase alternates the two, A B A B, and prints both figures and
 * their ratio. Every phase is bounded in time. Figures depend on the machine: they are printed
 * to compare changes and the two targets, never asserted in tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSchema, type TestDatabase } from '../tests/support/database';
import { channelMessage, envelope, memberJoined, slashCommand, viewSubmission } from '../tests/support/payloads';
import { Child, compiledBench, watchPeakRss } from './ipc';
import { closedLoop, failures, type LoadResult, openLoop, percentile, type SlackRequest, Target } from './load';
import { runScale } from './scale';

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-bench-token';
const APP_ID = 'A0APPTEST1';

interface Options {
  database: string | undefined;
  slotMs: number;
  rounds: number;
  connections: number;
  participants: number;
  slowRate: number;
  slowSlotMs: number;
  slackLatencyMs: number;
  stormEvents: number;
  stormSeconds: number;
  welcomeRate: number;
  tsx: boolean;
  /** The phases to run (--phases list,events,slow,storm; default all): a profile of one phase alone. */
  phases: ReadonlySet<string>;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} takes a positive number`);
    return parsed;
  };
  return {
    database: value('database') ?? process.env.BENCH_DATABASE_URL,
    slotMs: number('slot-seconds', 3) * 1000,
    rounds: number('rounds', 2),
    connections: number('connections', 20),
    participants: number('participants', 200),
    slowRate: number('slow-rate', 200),
    slowSlotMs: number('slow-seconds', 5) * 1000,
    slackLatencyMs: number('slack-latency-ms', 2500),
    stormEvents: number('storm-events', 5000),
    stormSeconds: number('storm-seconds', 10),
    // Slack's chat.postEphemeral is in a per-workspace tier; the fake answers 429 + Retry-After beyond this.
    welcomeRate: number('welcome-rate', 100),
    tsx: argv.includes('--tsx'),
    phases: new Set((value('phases') ?? 'list,events,slow,storm').split(',')),
  };
}

/** A port free right now on 127.0.0.1, so the bench knows where to poll /healthz from the first moment. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: Child;
  target: Target;
  /** Spawn to the first 200 from GET /healthz. */
  healthzMs: number;
}

async function startTimed(name: string, script: string, env: Record<string, string>, connections: number): Promise<Started> {
  const port = await freePort();
  const started = performance.now();
  const childStarting = Child.start(name, script, { ...env, PORT: String(port) }, 60_000);
  let healthzMs = Number.NaN;
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      },
      () => false,
    );
    if (healthy) {
      healthzMs = performance.now() - started;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const child = await childStarting;
  return { child, target: new Target(`http://127.0.0.1:${port}`, SIGNING_SECRET, connections), healthzMs };
}

async function stopStarted(started: Started): Promise<void> {
  await started.target.close();
  await started.child.stop();
}

const form = (fields: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString();

const jsonEvent = (body: unknown): SlackRequest => ({
  path: '/api/v1/events/slack/event',
  contentType: 'application/json',
  body: JSON.stringify(body),
});

interface Figures {
  samples: LoadResult['samples'];
  /** The target process's CPU time (user + system, all threads) over the slot and its drain, in microseconds. */
  cpuUs: number;
  wallMs: number;
  drainMs: number;
  notDrained: number;
  peakRssMb: number;
}

function merge(results: Figures[]): Figures {
  return {
    samples: results.flatMap((result) => result.samples),
    cpuUs: results.reduce((sum, result) => sum + result.cpuUs, 0),
    wallMs: results.reduce((sum, result) => sum + result.wallMs, 0),
    drainMs: results.reduce((sum, result) => sum + result.drainMs, 0),
    notDrained: results.reduce((sum, result) => sum + result.notDrained, 0),
    peakRssMb: Math.max(...results.map((result) => result.peakRssMb)),
  };
}

const perSecond = (figures: Figures) => (figures.samples.length / figures.wallMs) * 1000;
/** CPU per request: less sensitive than throughput to whatever else the machine is doing. */
const cpuPerRequest = (figures: Figures) => `CPU ${(figures.cpuUs / Math.max(1, figures.samples.length) / 1000).toFixed(2)} ms/req`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const mb = (value: number) => `${value.toFixed(0)} MB`;

/** Runs `run` on the target, then waits (bounded) until the app's work after the acks is done; watches RSS throughout. */
async function slot(started: Started, run: () => Promise<LoadResult>, drainTimeoutMs = 60_000): Promise<Figures> {
  const rss = watchPeakRss(started.child);
  const cpuBefore = await started.child.request<NodeJS.CpuUsage>('cpu');
  const result = await run();
  const drained = await started.child.request<{ idle: boolean; waitedMs: number }>('idle', { timeoutMs: drainTimeoutMs });
  const cpuAfter = await started.child.request<NodeJS.CpuUsage>('cpu');
  return {
    samples: result.samples,
    cpuUs: cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system,
    wallMs: result.wallMs,
    drainMs: drained.waitedMs,
    notDrained: drained.idle ? 0 : 1,
    peakRssMb: rss.stop(),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options.tsx) {
    process.stderr.write('[bench] compiling (tsc -p tsconfig.bench.json)\n');
    compiledBench();
  }
  const folder = mkdtempSync(join(tmpdir(), 'dispatch-bench-'));
  const database: TestDatabase = options.database
    ? await postgresSchema(options.database)
    : { kind: 'sqlite', url: `sqlite:${join(folder, 'bench.db')}`, drop: async () => undefined };
  const fake = await Child.start('fake slack', 'targets/fakeSlack.ts', { BENCH_BOT_TOKEN: BOT_TOKEN, BENCH_APP_ID: APP_ID });
  const slackBase = `http://127.0.0.1:${fake.port}`;
  const env = {
    SLACK_APP_USER_SLUG: APP_ID,
    SLACK_WORKSPACE_NAME: 'acme',
    SLACK_API_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slackBase}/api/`,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
  const lines: string[] = [];
  const row = (phase: string, app: string, anchor: string, ratio: string, goal: string) =>
    lines.push(`| ${phase} | ${app} | ${anchor} | ${ratio} | ${goal} |`);
  const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

  try {
    // Startup, A then B (a second pair at the end makes it A B A B).
    const startups: { app: number[]; anchor: number[] } = { app: [], anchor: [] };
    let app = await startTimed('app', 'targets/dispatch.ts', env, options.connections);
    startups.app.push(app.healthzMs);
    let anchor = await startTimed('bare Bolt', 'targets/bareBolt.ts', env, options.connections);
    startups.anchor.push(anchor.healthzMs);
    progress(`started: app ${ms(app.healthzMs)}, bare Bolt ${ms(anchor.healthzMs)}`);

    /** Reports an incident through the app, as a person would (command, then form); returns its channel. */
    const reportIncident = async (title: string): Promise<string> => {
      const command = slashCommand({
        command: '/dispatch-report-incident',
        text: title,
        trigger_id: await fake.request<string>('issueTriggerId'),
        response_url: `${slackBase}/response/R${Date.now()}`,
      });
      await app.target.send({
        path: '/api/v1/events/slack/command',
        contentType: 'application/x-www-form-urlencoded',
        body: form({ ...command }),
      });
      await app.child.request('idle', { timeoutMs: 30_000 });
      const view = await fake.request<Record<string, unknown>>('lastOpenedView');
      const submission = viewSubmission(view, { description: 'Benchmark incident', priority: 'High' }, 'U0REPORTER');
      await app.target.send({
        path: '/api/v1/events/slack/action',
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
      });
      await app.child.request('idle', { timeoutMs: 60_000 });
      const channels = await fake.request<Array<{ id: string; name: string }>>('createdChannels');
      const channel = channels.at(-1)?.id;
      if (!channel) throw new Error('the app did not create an incident channel');
      return channel;
    };

    const channel = await reportIncident('Benchmark: checkout is slow');
    const people = Array.from({ length: options.participants }, (_, index) => `U0P${String(index).padStart(5, '0')}`);
    await fake.request('addMembers', { channel, users: people });
    const joined = await closedLoop(
      app.target,
      options.connections,
      120_000,
      (index) => jsonEvent(envelope(memberJoined(people[index], channel))),
      people.length,
    );
    await app.child.request('idle', { timeoutMs: 120_000 });
    await fake.request('forget');
    progress(`incident ${channel} with ${people.length} participants (${failures(joined.samples)} joins not acked)`);

    const run = `${Date.now().toString(36)}`;
    let sent = 0;
    const listParticipants = (): SlackRequest => {
      sent += 1;
      return {
        path: '/api/v1/events/slack/command',
        contentType: 'application/x-www-form-urlencoded',
        body: form({
          ...slashCommand({
            command: '/dispatch-list-participants',
            channel_id: channel,
            channel_name: 'incident',
            user_id: people[sent % people.length],
            trigger_id: `${sent}.1.bench`,
            response_url: `${slackBase}/response/R${run}x${sent}`,
          }),
        }),
      };
    };
    const alternate = async (run: (started: Started) => Promise<Figures>): Promise<{ app: Figures; anchor: Figures }> => {
      const appResults: Figures[] = [];
      const anchorResults: Figures[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        appResults.push(await run(app));
        anchorResults.push(await run(anchor));
      }
      return { app: merge(appResults), anchor: merge(anchorResults) };
    };
    const throughputRow = (phase: string, figures: { app: Figures; anchor: Figures }, unit: string, goal: string) => {
      const cell = (f: Figures) =>
        `${perSecond(f).toFixed(0)} ${unit}/s, p50 ${ms(percentile(f.samples, 50))}, p99 ${ms(percentile(f.samples, 99))}, ${cpuPerRequest(f)}` +
        (failures(f.samples) ? `, ${failures(f.samples)} not 200` : '');
      const drain = figures.app.drainMs > 1 ? `; work after the acks done ${ms(figures.app.drainMs)} after the load` : '';
      row(
        phase,
        cell(figures.app) + drain + (figures.app.notDrained ? ' (NOT drained)' : ''),
        cell(figures.anchor),
        (perSecond(figures.app) / perSecond(figures.anchor)).toFixed(2),
        goal,
      );
    };

    // 1. The same read-only command, 20 connections back to back.
    if (options.phases.has('list')) {
      progress('list-participants');
      const before = await fake.request<{ responseUrlPosts: number }>('counters');
      const lists = await alternate((target) =>
        slot(target, () => closedLoop(target.target, options.connections, options.slotMs, listParticipants)),
      );
      const after = await fake.request<{ responseUrlPosts: number }>('counters');
      throughputRow(`/dispatch-list-participants, ${people.length} participants, own response_url each`, lists, 'req', '≥ 0.5');
      lines.push(
        `|  (app answered ${after.responseUrlPosts - before.responseUrlPosts} of ${lists.app.samples.length} over response_url; the rest in the ack) | | | | |`,
      );
    }

    // 2. Events: unique ids, re-joins and messages alternating.
    if (options.phases.has('events')) {
      progress('events');
      let eventIndex = 0;
      const nextEvent = (): SlackRequest => {
        eventIndex += 1;
        const person = people[eventIndex % people.length];
        const event =
          eventIndex % 2 === 0 ? memberJoined(person, channel) : channelMessage(person, channel, 'still looking at the dashboards');
        return jsonEvent(envelope(event, { event_id: `EvB${run}${eventIndex}` }));
      };
      const eventFigures = await alternate((target) =>
        slot(target, () => closedLoop(target.target, options.connections, options.slotMs, nextEvent)),
      );
      throughputRow(
        `Events API, unique ids, re-joins and messages alternating (${database.kind})`,
        eventFigures,
        'ev',
        database.kind === 'sqlite' ? '≥ 0.6' : '≥ 0.4',
      );
      const effects = eventFigures.app.samples.length / ((eventFigures.app.wallMs + eventFigures.app.drainMs) / 1000);
      lines.push(`|  (app effects applied at ${effects.toFixed(0)} ev/s, acks to effects done) | | | | |`);
    }

    // 3. Slack slow: every call and response_url post answers after 2.5 s; 200 commands a second.
    if (options.phases.has('slow')) {
      progress('slow Slack');
      await fake.request('forget');
      await fake.request('setLatency', { ms: options.slackLatencyMs });
      const slow = await alternate((target) =>
        slot(target, () => openLoop(target.target, options.slowRate, options.slowSlotMs, listParticipants), 90_000),
      );
      await fake.request('setLatency', { ms: 0 });
      const slowCell = (f: Figures) =>
        `ack p50 ${ms(percentile(f.samples, 50))}, p99 ${ms(percentile(f.samples, 99))} at ${perSecond(f).toFixed(0)} req/s` +
        (failures(f.samples) ? `, ${failures(f.samples)} not 200` : '');
      row(
        `same command at ${options.slowRate} req/s, every Slack call ${options.slackLatencyMs / 1000} s`,
        slowCell(slow.app) + (slow.app.notDrained ? ' (work NOT drained in 90 s)' : `; work done ${ms(slow.app.drainMs)} after`),
        slowCell(slow.anchor),
        '',
        'ack p99 < 50 ms',
      );
      row('peak RSS during that phase', mb(slow.app.peakRssMb), mb(slow.anchor.peakRssMb), '', '< 200 MB');
    }

    // 4. Join storm: thousands join one incident's channel within seconds; each is welcomed once.
    if (options.phases.has('storm')) {
      progress('join storm');
      await fake.request('forget');
      const stormChannel = await reportIncident('Benchmark: everyone joins');
      const crowd = Array.from({ length: options.stormEvents }, (_, index) => `U0S${String(index).padStart(6, '0')}`);
      await fake.request('addMembers', { channel: stormChannel, users: crowd });
      await fake.request('setRateLimit', { method: 'chat.postEphemeral', perSecond: options.welcomeRate });
      const stormRate = options.stormEvents / options.stormSeconds;
      const stormJoin = (index: number) => jsonEvent(envelope(memberJoined(crowd[index], stormChannel), { event_id: `EvS${run}${index}` }));
      const stormRss = watchPeakRss(app.child);
      const storm = await openLoop(app.target, stormRate, options.stormSeconds * 1000, stormJoin);
      const welcomeDeadline = performance.now() + Math.min(600_000, (options.stormEvents / options.welcomeRate) * 1500 + 30_000);
      let welcomed = { people: 0, total: 0, most: 0 };
      const stormStarted = performance.now() - storm.wallMs;
      while (performance.now() < welcomeDeadline) {
        welcomed = await fake.request('ephemeralsIn', { channel: stormChannel });
        if (welcomed.people >= crowd.length) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const welcomedMs = performance.now() - stormStarted;
      await app.child.request('idle', { timeoutMs: 60_000 });
      welcomed = await fake.request('ephemeralsIn', { channel: stormChannel });
      const stormPeak = stormRss.stop();
      const stormCounters = await fake.request<{ rateLimited: number }>('counters');
      await fake.request('setRateLimit', { method: 'chat.postEphemeral', perSecond: 0 });
      const anchorStorm = await openLoop(anchor.target, stormRate, options.stormSeconds * 1000, stormJoin);
      const over1s = (samples: LoadResult['samples']) => samples.filter((sample) => sample.ms >= 1000 || sample.status !== 200).length;
      row(
        `join storm: ${crowd.length} member_joined_channel in ${options.stormSeconds} s, one incident`,
        `ack p50 ${ms(percentile(storm.samples, 50))}, p99 ${ms(percentile(storm.samples, 99))}, max ${ms(percentile(storm.samples, 100))}, ${over1s(storm.samples)} acks ≥ 1 s or not 200`,
        `ack p50 ${ms(percentile(anchorStorm.samples, 50))}, p99 ${ms(percentile(anchorStorm.samples, 99))}, ${over1s(anchorStorm.samples)} ≥ 1 s`,
        '',
        'every ack < 1 s',
      );
      row(
        `  welcomes (chat.postEphemeral limited to ${options.welcomeRate}/s)`,
        `${welcomed.people}/${crowd.length} people welcomed, ${welcomed.total - welcomed.people} twice or more, in ${(welcomedMs / 1000).toFixed(1)} s; ${stormCounters.rateLimited} calls answered 429`,
        '',
        '',
        'each once',
      );
      row('  peak RSS during the storm', mb(stormPeak), '', '', '');
    }

    // 5. Startup again (B A order would favour neither; A B keeps it simple and alternating).
    await stopStarted(app);
    await stopStarted(anchor);
    app = await startTimed('app', 'targets/dispatch.ts', env, options.connections);
    startups.app.push(app.healthzMs);
    anchor = await startTimed('bare Bolt', 'targets/bareBolt.ts', env, options.connections);
    startups.anchor.push(anchor.healthzMs);
    const best = (values: number[]) => Math.min(...values);
    row(
      'start to /healthz 200 (best of 2)',
      ms(best(startups.app)),
      ms(best(startups.anchor)),
      `${(best(startups.app) / best(startups.anchor)).toFixed(1)}×`,
      '≤ 1.5×',
    );
    await stopStarted(app);
    await stopStarted(anchor);

    console.log(
      `Dispatch for Slack beside bare Bolt — ${database.kind}, ${options.tsx ? 'TypeScript through tsx' : 'compiled JavaScript'}, ${options.connections} connections, slots of ${options.slotMs / 1000} s × ${options.rounds} rounds (A B), node ${process.version}`,
    );
    console.log('| phase | app | bare Bolt | ratio | goal |');
    console.log('|---|---|---|---|---|');
    for (const line of lines) console.log(line);
  } finally {
    await fake.stop();
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const scale = process.argv.includes('--scale');
const scaleRuns = process.argv.indexOf('--runs');
const scaleArgs = process.argv.slice(2).filter((arg, index) => arg !== '--scale' && index + 2 !== scaleRuns && index + 2 !== scaleRuns + 1);
(scale ? runScale(parseOptions(scaleArgs).database, scaleRuns > 0 ? Number(process.argv[scaleRuns + 1]) : undefined) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
