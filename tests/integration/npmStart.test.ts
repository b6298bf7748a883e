import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeSlack } from '../support/fakeSlack';
import { slashCommand } from '../support/payloads';
import { type Child, descendantPids, exitWithin, freePort, isAlive, spawnChild, waitForStatus } from '../support/processes';
import { signedHeaders } from '../support/signing';
import { APP_ID } from '../support/testApp';

/**
 * `npm start` as a supervisor runs it: the signal goes to npm's own process id (what docker
 * stop, systemd or Kubernetes signal), and the app must stop gracefully, finishing the work it
 * acknowledged, with exit code 0, leaving no process behind.
 */
const ROOT = resolve(__dirname, '../..');
const BOT_TOKEN = 'xoxb-npm-start-test-1a2b3c';
const SIGNING_SECRET = 'npm-start-signing-secret-4d5e6f';
const SLOW_SLACK_MS = 1_500;

describe('npm start', () => {
  let fake: FakeSlack;
  let folder: string;
  let child: Child | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dispatch-npm-start-'));
  });
  afterEach(async () => {
    if (child) {
      for (const pid of [child.process.pid ?? 0, ...descendantPids(child.process.pid ?? 0)])
        if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
      await child.exited;
    }
    child = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(): Promise<{ port: number; appPids: number[] }> {
    const port = await freePort();
    child = spawnChild('npm', ['start'], ROOT, {
      SLACK_APP_USER_SLUG: APP_ID,
      SLACK_WORKSPACE_NAME: 'acme',
      SLACK_API_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(folder, 'dispatch.db')}`,
    });
    // A stale dist/ is compiled first (prestart), which can take a while on a busy machine.
    await waitForStatus(child, `http://127.0.0.1:${port}/healthz`, 200, 100_000);
    return { port, appPids: descendantPids(child.process.pid ?? 0) };
  }

  test('runs the compiled app (not tsx)', () => {
    const { scripts, devDependencies, dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(scripts.start).toBe('exec node dist/app.js');
    expect(scripts.dev).toMatch(/^tsx watch /);
    expect(devDependencies.tsx).toBeDefined();
    expect(dependencies.tsx).toBeUndefined();
  });

  test('SIGTERM to npm finishes acknowledged work, closes the database and exits 0 within 10 s, leaving nothing running', async () => {
    const { port, appPids } = await start();
    expect(appPids.length).toBeGreaterThan(0);
    fake.setLatency(SLOW_SLACK_MS, 'views.open');
    const payload = slashCommand({
      command: '/dispatch-report-incident',
      trigger_id: fake.issueTriggerId(),
      response_url: fake.responseUrl(),
    });
    const body = new URLSearchParams(
      Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ).toString();
    const answer = await fetch(`http://127.0.0.1:${port}/api/v1/events/slack/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(answer.status).toBe(200);
    await fake.waitForCall('views.open');

    const signalled = Date.now();
    process.kill(child?.process.pid ?? 0, 'SIGTERM');
    const exit = await exitWithin(child as Child, 10_000);
    const took = Date.now() - signalled;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(10_000);
    // It waited for the slow views.open it had acknowledged before it stopped.
    expect(took).toBeGreaterThanOrEqual(SLOW_SLACK_MS / 2);
    const log = (child as Child)
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const handled = log.findIndex((line) => line.message === 'slack request handled' && line.command === '/dispatch-report-incident');
    const stopped = log.findIndex((line) => line.message === 'dispatch for slack stopped');
    expect(handled).toBeGreaterThanOrEqual(0);
    expect(stopped).toBeGreaterThan(handled);
    // Nothing orphaned: every process npm started is gone, and the port is closed.
    expect(appPids.filter(isAlive)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 130_000);

  test('SIGINT to npm stops it too, with exit 0', async () => {
    const { appPids } = await start();
    process.kill(child?.process.pid ?? 0, 'SIGINT');
    expect(await exitWithin(child as Child, 10_000)).toEqual({ code: 0, signal: null });
    expect(appPids.filter(isAlive)).toEqual([]);
  }, 130_000);
});
