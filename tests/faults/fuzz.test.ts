import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { APP_ID, BOT_TOKEN, SIGNING_SECRET } from '../support/testApp';
import { AppProcess } from './support/appProcess';
import { type FuzzRequest, generateRequest, Random, rawRequests } from './support/fuzz';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CONCURRENCY = 16;
/** What must never reach an answer: a stack frame, Node's internals, or a secret. */
const LEAKS = [/\bat \S+ \(/, /node:internal/, /node_modules/, /\bTypeError\b|\bSyntaxError\b|\bRangeError\b/, SIGNING_SECRET, BOT_TOKEN];

function rawStatus(port: number, bytes: string): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = () => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, text: received });
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

describe.each(postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'])('fuzzed requests against the app on %s', (kind) => {
  let fake: FakeSlack;
  let app: AppProcess;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    if (kind === 'postgres') database = await postgresSchema();
    else {
      const directory = mkdtempSync(join(tmpdir(), 'dispatch-fuzz-'));
      database = {
        kind: 'sqlite',
        url: `sqlite:${join(directory, 'dispatch.db')}`,
        drop: async () => rmSync(directory, { recursive: true, force: true }),
      };
    }
    app = await AppProcess.start({
      fake,
      databaseUrl: database.url,
      env: { LOG_LEVEL: 'warn', PUBLIC_URL: 'https://dispatch.example.com' },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    await database?.drop();
  });

  // On PostgreSQL a tenth of the requests: the same code paths, a second engine under them.
  const total = kind === 'postgres' ? Math.ceil(REQUESTS / 10) : REQUESTS;

  test(`${total} generated requests over the four paths: no 5xx, no crash, health 200 throughout, nothing leaked`, async () => {
    const random = new Random(SEED);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const healthAnswers: number[] = [];
    let sent = 0;
    const context = { responseUrl: () => fake.responseUrl(), triggerId: () => fake.issueTriggerId() };
    const check = (request: FuzzRequest | { label: string }, status: number | null, text: string) => {
      if (status !== null) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== null && status >= 500) failures.push(`${status} for ${request.label}: ${text.slice(0, 200)}`);
      for (const leak of LEAKS) {
        if (typeof leak === 'string' ? text.includes(leak) : leak.test(text))
          failures.push(`leak ${String(leak)} in the answer to ${request.label}`);
      }
    };

    async function worker(): Promise<void> {
      while (sent < total) {
        sent += 1;
        const request = generateRequest(random, context);
        try {
          const answer = await app.post(request.path, request.body, request.contentType, request.headers);
          check(request, answer.status, answer.text);
        } catch (error) {
          // A huge body is answered 413 while it is still being sent, which fetch may report as
          // a broken connection; anything else without an answer is a failure.
          const huge = request.body.length > 1024 * 1024;
          if (!app.alive) failures.push(`the app died during ${request.label}`);
          else if (!huge) failures.push(`no answer to ${request.label}: ${error instanceof Error ? error.name : String(error)}`);
          else statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
        }
        if (sent % 250 === 0) healthAnswers.push(await app.health());
      }
    }
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    for (const raw of rawRequests()) {
      const answer = await rawStatus(app.port, raw.bytes);
      check(raw, answer.status, answer.text);
    }
    healthAnswers.push(await app.health());
    const elapsedMs = Date.now() - started;

    // The figures for the note: how many, how answered.
    process.stdout.write(
      `fuzz on ${kind}: ${total} requests + ${rawRequests().length} raw in ${elapsedMs} ms, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(app.alive).toBe(true);
    expect(healthAnswers.every((status) => status === 200)).toBe(true);
    expect(healthAnswers.length).toBeGreaterThanOrEqual(Math.floor(total / 250));
    // Every refusal was logged without a secret, and nothing escaped as an unhandled rejection.
    const output = app.stdout() + app.stderr();
    expect(output).not.toContain(SIGNING_SECRET);
    expect(output).not.toContain(BOT_TOKEN);
    expect(app.logLines().filter((line) => String(line.message).startsWith('unhandled promise rejection'))).toEqual([]);
    // Valid requests were among them and were served.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(total / 10);
  }, 900_000);
});
