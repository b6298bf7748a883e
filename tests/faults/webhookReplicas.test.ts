import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { APP_ID, TestApp } from '../support/testApp';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * Two replicas on one database share the webhook deliveries: each event reaches the endpoint
 * once between them, in order per incident. PostgreSQL only (TEST_DATABASE_URL, as CI sets it):
 * replicas need PostgreSQL (README, "Running on PostgreSQL, with several replicas"), and two
 * apps in one process on one SQLite file block each other, because better-sqlite3 waits for the
 * file's write lock synchronously, holding the event loop the other app needs to finish its
 * transaction.
 */
const SECRET = 'replica-test-secret-0123456789';
const INCIDENTS = 20;

/** The same database for another app instance: only the test drops it, at the end. */
const shared = (database: TestDatabase): TestDatabase => ({ ...database, drop: async () => undefined });

(postgresUrl ? describe : describe.skip)('webhooks with two replicas on one PostgreSQL database', () => {
  let fake: FakeSlack;
  let receiver: WebhookReceiver;
  let database: TestDatabase;
  let replicas: TestApp[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
    receiver = await WebhookReceiver.start();
    database = await postgresSchema();
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
