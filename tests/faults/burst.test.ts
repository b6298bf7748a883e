import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { SLACK_REQUEST_WORK } from '../../server/receiver/afterAck';
import { SLACK_EVENT_WORK } from '../../server/receiver/eventInbox';
import { Store } from '../../store';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { channelMessage, envelope, reactionAdded, slashCommand } from '../support/payloads';
import { signedHeaders } from '../support/signing';
import { APP_ID, BOT_TOKEN, SIGNING_SECRET } from '../support/testApp';
import { AppProcess } from './support/appProcess';

const CHANNEL = 'G0BURST0001';
const AUTHOR = 'U0AUTHOR01';
const RESPONDER = 'U0RESPOND1';
const EVENT_SECONDS = Number(process.env.BURST_EVENT_SECONDS ?? 6);
const COMMANDS_PER_SECOND = 200;
const COMMAND_SECONDS = 4;
/** What the app may hold at most under the burst; before the inbox it grew past 2.7 GB. */
const MAX_RSS_MB = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Slack's side of the connection: a keep-alive pool of at most 64 connections, as an HTTP
 * client keeps one (fetch would open a connection per request in flight, hundreds once the app
 * slows, and spend the test's CPU on it). A request waiting for a free connection counts in its
 * ack time: it is timed from when it is handed over.
 */
const slackSide = new Agent({ keepAlive: true, maxSockets: 64 });

function post(port: number, path: string, body: string, contentType: string, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: slackSide,
        timeout: 10_000,
        headers: { 'content-type': contentType, ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', reject);
      },
    );
    sent.on('timeout', () => sent.destroy(new Error('no answer within 10 s')));
    sent.on('error', reject);
    sent.end(body);
  });
}

/** CPU time a process has used so far, in ms (utime + stime from /proc, Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

(postgresUrl ? describe : describe.skip)('a burst of events, then commands, on PostgreSQL while Slack answers in 2.5 s', () => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    fake.addUser({ id: AUTHOR, name: 'ada', real_name: 'Ada Lovelace' });
    fake.addUser({ id: RESPONDER, name: 'grace', real_name: 'Grace Hopper' });
    fake.addChannel({ id: CHANNEL, name: 'dispatch-1-burst', is_private: true, members: new Set([fake.botUserId, RESPONDER]) });
    database = await postgresSchema();
  });
  afterAll(async () => {
    slackSide.destroy();
    if (app?.alive) app.kill('SIGKILL');
    await fake.stop();
    await database.drop();
  });

  test('every event is stored, every command is acknowledged within 1 s, and memory stays bounded', async () => {
    const seed = await Store.open(database.url);
    const incident = await seed.transaction((repos) =>
      repos.incidents.insert({
        namePrefix: 'dispatch',
        title: 'Checkout is failing',
        description: 'HTTP 500 on checkout',
        type: 'Availability',
        priority: 'High',
        visibility: 'open',
        reporterId: RESPONDER,
        reportedAt: new Date(),
      }),
    );
    await seed.incidents.update(incident.id, { channelId: CHANNEL, channelName: 'dispatch-1-burst' }, new Date());
    // Participants whose profiles the app has not seen: the first participant lists need Slack
    // (2.5 s) after their ack, as the issue's commands did; the others answer from the ack.
    for (const userId of [RESPONDER, AUTHOR]) await seed.participants.join(incident.id, userId, new Date());

    app = await AppProcess.start({
      fake,
      databaseUrl: database.url,
      env: { LOG_LEVEL: 'error' },
      nodeArgs: process.env.BURST_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BURST_PROFILE_DIR}`] : [],
    });
    const pid = app.child.pid as number;
    const running = app;
    fake.setLatency(2_500);
    let peakRss = rssMb(pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(pid));
    }, 100);

    // Every request is built and signed before the clock starts, so the test's own work does not
    // compete with the app for the CPU while it is measured.
    const eventBodies = Array.from({ length: 40_000 }, (_, index) => {
      const ts = `1700000100.${String(index).padStart(6, '0')}`;
      const event =
        index % 2 === 0
          ? reactionAdded(RESPONDER, 'stopwatch', CHANNEL, ts, AUTHOR)
          : channelMessage(RESPONDER, CHANNEL, `status update ${index}`, ts);
      const body = JSON.stringify(envelope(event));
      return { body, headers: signedHeaders(SIGNING_SECRET, body) };
    });
    const total = COMMANDS_PER_SECOND * COMMAND_SECONDS;
    const commandBodies = Array.from({ length: total }, (_, index) => {
      const payload = slashCommand({
        command: index % 2 === 0 ? '/dispatch-list-tasks' : '/dispatch-list-participants',
        channel_id: CHANNEL,
        user_id: RESPONDER,
        trigger_id: fake.issueTriggerId(),
        response_url: fake.responseUrl(),
      });
      const body = new URLSearchParams(
        Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ).toString();
      return { body, headers: signedHeaders(SIGNING_SECRET, body) };
    });

    // Phase 1: Events API traffic as fast as the app acknowledges it.
    let acknowledgedEvents = 0;
    let refusedEvents = 0;
    const eventsUntil = Date.now() + EVENT_SECONDS * 1000;
    let next = 0;
    const sendEvents = async () => {
      while (Date.now() < eventsUntil && next < eventBodies.length) {
        const { body, headers } = eventBodies[next++] as { body: string; headers: Record<string, string> };
        const answer = await post(running.port, '/api/v1/events/slack/event', body, 'application/json', headers).catch(() => ({
          status: 0,
        }));
        if (answer.status === 200) acknowledgedEvents += 1;
        else refusedEvents += 1;
      }
    };
    await Promise.all(Array.from({ length: 32 }, sendEvents));

    // Phase 2: slash commands at 200 a second, sent on schedule whatever the answers.
    const commandTimes: number[] = [];
    const commandStatuses: number[] = [];
    const commandErrors: string[] = [];
    const sends: Array<Promise<void>> = [];
    const start = Date.now();
    const cpuBefore = cpuMs(pid);
    for (let index = 0; index < total; index += 1) {
      const due = start + (index * 1000) / COMMANDS_PER_SECOND;
      if (due > Date.now()) await sleep(due - Date.now());
      const { body, headers } = commandBodies[index] as { body: string; headers: Record<string, string> };
      const sent = Date.now();
      sends.push(
        post(running.port, '/api/v1/events/slack/command', body, 'application/x-www-form-urlencoded', headers).then(
          (answer) => {
            commandTimes.push(Date.now() - sent);
            commandStatuses.push(answer.status);
          },
          (error: unknown) => {
            commandTimes.push(Number.POSITIVE_INFINITY);
            commandStatuses.push(0);
            if (commandErrors.length < 3) commandErrors.push(String(error instanceof Error ? (error.cause ?? error.message) : error));
          },
        ),
      );
    }
    await Promise.all(sends);
    const cpuPerCommand = (cpuMs(pid) - cpuBefore) / total;
    clearInterval(sampler);

    const stored = await seed.workQueue.countUnfinished([SLACK_EVENT_WORK]);
    const allStored = await seed.db
      .selectFrom('work_items')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('kind', '=', SLACK_EVENT_WORK)
      .executeTakeFirstOrThrow();
    const deferred = await seed.db
      .selectFrom('work_items')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('kind', '=', SLACK_REQUEST_WORK)
      .executeTakeFirstOrThrow();
    await seed.close();
    fake.setLatency(0);
    await app.stop();

    const slowest = Math.max(...commandTimes);
    const sorted = [...commandTimes].sort((a, b) => a - b);
    process.stdout.write(
      `burst on PostgreSQL: ${acknowledgedEvents} events acknowledged in ${EVENT_SECONDS} s (${refusedEvents} refused), ${stored} still waiting in the inbox; ` +
        `${total} commands at ${COMMANDS_PER_SECOND}/s: p50 ${sorted[Math.floor(total / 2)]} ms, p99 ${sorted[Math.floor(total * 0.99)]} ms, max ${slowest} ms, ${cpuPerCommand.toFixed(1)} ms of app CPU each, ${deferred.count} of them finished from the work queue; peak RSS ${Math.round(peakRss)} MB\n`,
    );
    expect(acknowledgedEvents).toBeGreaterThan(500);
    expect(Number(allStored.count)).toBe(acknowledgedEvents);
    expect(peakRss).toBeLessThan(MAX_RSS_MB);
    expect(commandErrors).toEqual([]);
    expect(commandStatuses.filter((status) => status !== 200)).toEqual([]);
    expect(slowest).toBeLessThan(1_000);
  }, 240_000);
});
