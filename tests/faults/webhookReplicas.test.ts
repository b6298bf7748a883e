import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { APP_ID, TestApp } from '../support/testApp';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * Two replicas on one database share the webhook deliveries: each event reaches the endpoint
 * once between them, in order per incident. PostgreSQL when TEST_DATABASE_URL is set (as CI
 * does), else one SQLite file.
 */
const SECRET = 'replica-test-secret-0123456789';
const INCIDENTS = 20;

/** The same database for another app instance: only the test drops it, at the end. */
const shared = (database: TestDatabase): TestDatabase => ({ ...database, drop: async () => undefined });

describe(`webhooks with two replicas on one ${postgresUrl ? 'PostgreSQL' : 'SQLite'} database`, () => {
  let fake: FakeSlack;
  let receiver: WebhookReceiver;
  let database: TestDatabase;
  let directory: string | undefined;
  let replicas: TestApp[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
    receiver = await WebhookReceiver.start();
    if (postgresUrl) database = await postgresSchema();
    else {
      directory = mkdtempSync(join(tmpdir(), 'dispatch-webhook-replicas-'));
      database = { kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined };
    }
    const env = { WEBHOOK_URLS: receiver.url('/hook'), WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'debug' };
    // One after the other: both run migrations on start.
    replicas = [
      await TestApp.start({ fake, database: shared(database), env }),
      await TestApp.start({ fake, database: shared(database), env }),
    ];
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
    await receiver.stop();
    await fake.stop();
    await database.drop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  test('each event is delivered once between them, in order per incident', async () => {
    // Slow enough that one replica cannot keep up alone: the other one's poll finds work too.
    receiver.respondWith(() => ({ status: 200, delayMs: 150 }));
    const changes = Array.from({ length: INCIDENTS }, async (_, index) => {
      const replica = replicas[index % 2].deps;
      const incident = await replica.incidents.report({
        title: `Incident ${index}`,
        description: 'Replica test',
        type: 'Other',
        priority: 'High',
        visibility: 'open',
        reporterId: 'U0REPORTER',
      });
      await replica.incidents.changeStatus(incident.id, 'stable', 'U0REPORTER');
      await replica.incidents.changeStatus(incident.id, 'closed', 'U0REPORTER', 'Fixed');
    });
    await Promise.all(changes);

    await receiver.waitFor((received) => received.filter((webhook) => webhook.answered).length >= INCIDENTS * 3, 60_000);
    for (const replica of replicas) await replica.settle(30_000);
    const delivered = receiver.delivered;
    const ids = delivered.map((webhook) => webhook.payload.id);
    expect(ids).toHaveLength(INCIDENTS * 3);
    expect(new Set(ids).size).toBe(INCIDENTS * 3);
    for (const webhook of delivered) expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
    const byIncident = new Map<number, string[]>();
    for (const webhook of delivered)
      byIncident.set(webhook.payload.incident.id, [...(byIncident.get(webhook.payload.incident.id) ?? []), webhook.payload.type]);
    expect(byIncident.size).toBe(INCIDENTS);
    for (const types of byIncident.values()) expect(types).toEqual(['incident.reported', 'incident.status_changed', 'incident.closed']);

    // Both replicas took part (each logs the webhook items it finished).
    const finishedBy = replicas.map(
      (replica) => replica.logs.filter((line) => line.includes('work item done') && line.includes('"kind":"webhook"')).length,
    );
    expect(finishedBy[0] + finishedBy[1]).toBe(INCIDENTS * 3);
    expect(Math.min(...finishedBy)).toBeGreaterThan(0);
  });
});
