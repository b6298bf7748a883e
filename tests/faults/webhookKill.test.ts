import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../../store';
import { WEBHOOK_WORK_KIND, type WebhookJob } from '../../webhooks/outbox';
import { FakeSlack } from '../support/fakeSlack';
import { slashCommand, viewSubmission } from '../support/payloads';
import { type Child, descendantPids, exitWithin, freePort, spawnChild, waitForStatus } from '../support/processes';
import { signedHeaders } from '../support/signing';
import { APP_ID, BOT_TOKEN, SIGNING_SECRET } from '../support/testApp';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * kill -9 between commit and send: the app records changes (and their deliveries), the endpoint
 * holds every request open, the app is killed; a new process on the same database delivers
 * exactly the events that were committed, none lost, in order per incident.
 */
const ROOT = resolve(__dirname, '../..');
const SECRET = 'kill-test-secret-0123456789ab';
const REPORTER = 'U0REPORTER';
const INCIDENTS = 3;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** kill -9 of the app itself: tsx runs it as a child process, which a signal to tsx alone would leave running. */
function killHard(child: Child): number[] {
  const pids = [...descendantPids(child.process.pid ?? 0), child.process.pid ?? 0].filter((pid) => pid > 0);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks survive kill -9 between commit and send', () => {
  let folder: string;
  let fake: FakeSlack;
  let receiver: WebhookReceiver;
  let children: Child[] = [];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'dispatch-webhook-kill-'));
    fake = await FakeSlack.start({ appId: APP_ID });
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    for (const child of children) killHard(child);
    children = [];
    await receiver.stop();
    await fake.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const databaseUrl = () => `sqlite:${join(folder, 'dispatch.db')}`;

  async function startApp(port: number): Promise<Child> {
    const child = spawnChild(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'app.ts')], folder, {
      SLACK_APP_USER_SLUG: APP_ID,
      SLACK_WORKSPACE_NAME: 'acme',
      SLACK_API_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_URL: databaseUrl(),
      WEBHOOK_URLS: receiver.url('/hook'),
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_TIMEOUT: '60s',
      WEBHOOK_RETRY_FIRST_DELAY: '200ms',
    });
    children.push(child);
    await waitForStatus(child, `http://127.0.0.1:${port}/healthz`, 200, 30_000);
    return child;
  }

  async function post(port: number, path: string, body: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SIGNING_SECRET, body) },
      body,
    });
    await response.text();
    return response.status;
  }

  async function command(port: number, name: string, options: { text?: string; channel_id: string }): Promise<void> {
    const payload = slashCommand({
      command: name,
      user_id: REPORTER,
      trigger_id: fake.issueTriggerId(),
      response_url: fake.responseUrl(),
      ...options,
    });
    const form = new URLSearchParams(Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    expect(await post(port, '/api/v1/events/slack/command', form.toString())).toBe(200);
  }

  test('the deliveries committed before the kill are all delivered by the next process, in order', async () => {
    // Phase 1: the endpoint takes every request and never answers.
    receiver.respondWith(() => ({ status: 200, hang: true }));
    const port = await freePort();
    const first = await startApp(port);
    const store = await Store.open(databaseUrl());
    try {
      for (let index = 0; index < INCIDENTS; index += 1) {
        const opened = fake.callsTo('views.open').length;
        await command(port, '/dispatch-report-incident', { text: `Incident ${index}`, channel_id: 'C0GENERAL1' });
        const call = await until('the report form', async () => fake.callsTo('views.open')[opened]);
        const submission = viewSubmission(
          call.args.view as Record<string, unknown>,
          { description: 'kill test', priority: 'High' },
          REPORTER,
        );
        expect(
          await post(port, '/api/v1/events/slack/action', new URLSearchParams({ payload: JSON.stringify(submission) }).toString()),
        ).toBe(200);
        const incident = await until('the incident channel', async () => {
          const [latest] = await store.incidents.listRecent(1);
          return latest?.title === `Incident ${index}` && latest.channelId ? latest : undefined;
        });
        await command(port, '/dispatch-mark-stable', { channel_id: incident.channelId as string });
      }
      const committed = await until('every change recorded', async () => {
        const stable = (await store.incidents.listByStatus('stable')).length;
        return stable === INCIDENTS ? true : undefined;
      });
      expect(committed).toBe(true);
      // At least one delivery is on the wire, unanswered, when the process dies.
      await receiver.waitFor((received) => received.length > 0, 20_000);
      const killed = killHard(first);
      expect(killed.length).toBeGreaterThan(1);
      await exitWithin(first, 10_000);
      // Nothing answers any more: the app itself is gone, not only its tsx wrapper.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

      const recorded = await store.db
        .selectFrom('work_items')
        .select(['payload', 'status'])
        .where('kind', '=', WEBHOOK_WORK_KIND)
        .orderBy('id')
        .execute();
      const jobs = recorded.map((row) => JSON.parse(row.payload) as WebhookJob);
      expect(jobs).toHaveLength(INCIDENTS * 2);
      expect(recorded.every((row) => row.status === 'pending')).toBe(true);
      const committedIds = jobs.map((job) => job.eventId);

      // Phase 2: the endpoint is back; a new process takes over (after the dead one's lease runs out).
      receiver.respondWith(() => ({ status: 200 }));
      const second = await startApp(port);
      await receiver.waitFor(
        (received) =>
          new Set(received.filter((webhook) => webhook.answered).map((webhook) => webhook.payload.id)).size === committedIds.length,
        75_000,
      );

      const delivered = receiver.delivered;
      expect(new Set(delivered.map((webhook) => webhook.payload.id))).toEqual(new Set(committedIds));
      for (const webhook of receiver.received) expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
      for (let index = 0; index < INCIDENTS; index += 1) {
        const incidentId = jobs[index * 2].incidentId;
        const types = delivered.filter((webhook) => webhook.payload.incident.id === incidentId).map((webhook) => webhook.payload.type);
        expect(types).toEqual(['incident.reported', 'incident.status_changed']);
      }
      await until('every delivery recorded as done', async () => {
        const left = await store.workQueue.countUnfinished([WEBHOOK_WORK_KIND]);
        return left === 0 ? true : undefined;
      });
      second.process.kill('SIGTERM');
      expect((await exitWithin(second, 15_000)).code).toBe(0);
    } finally {
      await store.close();
    }
  }, 180_000);
});
