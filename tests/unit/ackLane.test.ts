import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { isBeforeAck, runBeforeAck } from '../../store/ackPhase';
import { PreparingPostgresPool } from '../../store/preparedStatements';
import { postgresUrl } from '../support/database';

describe('the ack phase', () => {
  test('is open inside runBeforeAck, in work started from it too, until acknowledged', async () => {
    expect(isBeforeAck()).toBe(false);
    await runBeforeAck(async (acknowledged) => {
      expect(isBeforeAck()).toBe(true);
      const later = new Promise<boolean>((resolve) => setTimeout(() => resolve(isBeforeAck()), 10));
      acknowledged();
      expect(isBeforeAck()).toBe(false);
      // Work started before the ack leaves the lane with it.
      expect(await later).toBe(false);
    });
    expect(isBeforeAck()).toBe(false);
  });
});

(postgresUrl ? describe : describe.skip)('the ack lane on PostgreSQL', () => {
  test("a query before the ack gets a lane connection while background work holds all the shared pool's", async () => {
    const shared = new Pool({ connectionString: postgresUrl, max: 1 });
    const lane = new Pool({ connectionString: postgresUrl, max: 1 });
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: new PreparingPostgresPool(shared, lane) }) });
    try {
      let finish: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      // Background work holds the one shared connection.
      const background = db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      const answered = await runBeforeAck(async () => (await sql<{ n: number }>`select 2 as n`.execute(db)).rows[0]?.n);
      expect(answered).toBe(2);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(lane.totalCount).toBe(1);

      // After the ack the same request's queries wait for the shared pool again.
      let afterAck = false;
      const queued = runBeforeAck(async (acknowledged) => {
        acknowledged();
        await sql`select 3`.execute(db);
        afterAck = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(afterAck).toBe(false);
      finish();
      await background;
      await queued;
      expect(afterAck).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
