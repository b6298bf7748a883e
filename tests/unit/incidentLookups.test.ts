import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { Incident } from '../../incidents/model';
import type { NewIncidentRecord } from '../../incidents/ports';
import { Store } from '../../store';
import { runBeforeAck } from '../../store/ackPhase';
import { KyselyIncidentRepository } from '../../store/incidents';
import { PreparingPostgresPool } from '../../store/preparedStatements';
import type { Database } from '../../store/schema';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

/**
 * The incident lookups every command, button and stored job starts with: on PostgreSQL, outside
 * a transaction, those made in the same turn share one statement (store/incidents.ts), one per
 * lane (store/ackPhase.ts); in a transaction and on SQLite each is its own.
 */

const T0 = new Date('2026-03-01T10:00:00.000Z');

const record = (title: string): NewIncidentRecord => ({
  namePrefix: 'dispatch',
  title,
  description: 'd',
  type: 'Availability',
  priority: 'High',
  visibility: 'open',
  reporterId: 'U0REPORTER',
  reportedAt: T0,
});

/** Resolves after the turns in which a grouped statement would have been written. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Settles to 'pending' when `promise` has not settled within `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

describe.each(databaseKinds)('incident lookups (%s)', (kind) => {
  let database: TestDatabase;
  let store: Store;
  let checkout: Incident;
  let search: Incident;

  const grouped = kind === 'postgres';
  /** The grouped lookups' figures so far (zero where lookups are not grouped). */
  const statements = () => {
    const stats = store.incidents.lookupStats;
    return {
      byChannel: stats?.byChannel.statements ?? 0,
      byChannelCalls: stats?.byChannel.calls ?? 0,
      byId: stats?.byId.statements ?? 0,
      byIdCalls: stats?.byId.calls ?? 0,
    };
  };

  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
    const made = [];
    for (const [title, channelId] of [
      ['Checkout is failing', 'C0CHECKOUT'],
      ['Search is slow', 'C0SEARCH01'],
    ]) {
      const incident = await store.transaction((repos) => repos.incidents.insert(record(title)));
      made.push(await store.incidents.update(incident.id, { channelId }, T0));
    }
    [checkout, search] = made;
  });

  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  test(`lookups by channel made together answer each caller with its own incident${grouped ? ', from one statement' : ''}`, async () => {
    expect(store.incidents.lookupStats === undefined).toBe(!grouped);
    const before = statements();
    const found = await Promise.all(
      ['C0CHECKOUT', 'C0SEARCH01', 'C0CHECKOUT', 'C0NOWHERE1', 'C0CHECKOUT'].map((channel) => store.incidents.findByChannel(channel)),
    );
    expect(found).toEqual([checkout, search, checkout, undefined, checkout]);
    // The same channel asked three times: on PostgreSQL three incidents, not one shared object; on
    // SQLite a remembered lookup may answer with one object, frozen (store/incidentLookupCache.ts).
    if (grouped) {
      expect(found[0]).not.toBe(found[2]);
      expect(found[2]).not.toBe(found[4]);
    } else {
      for (const incident of found) if (incident) expect(Object.isFrozen(incident)).toBe(true);
    }
    const after = statements();
    expect(after.byChannel - before.byChannel).toBe(grouped ? 1 : 0);
    expect(after.byChannelCalls - before.byChannelCalls).toBe(grouped ? 5 : 0);
  });

  test(`lookups by id made together answer each caller${grouped ? ', from one statement' : ''}; getById still throws for a missing one`, async () => {
    const before = statements();
    const found = await Promise.all([search.id, checkout.id, 9999, search.id].map((id) => store.incidents.findById(id)));
    expect(found).toEqual([search, checkout, undefined, search]);
    if (grouped) expect(found[0]).not.toBe(found[3]);
    else expect(Object.isFrozen(found[0])).toBe(true);
    expect(statements().byId - before.byId).toBe(grouped ? 1 : 0);
    const [missing, present] = await Promise.allSettled([store.incidents.getById(9999), store.incidents.getById(checkout.id)]);
    expect(missing).toMatchObject({ status: 'rejected', reason: new Error('incident 9999 does not exist') });
    expect(present).toEqual({ status: 'fulfilled', value: checkout });
  });

  test('lookups in a transaction are its own, not grouped, and see its writes', async () => {
    const before = statements();
    await store.transaction(async (repos) => {
      expect(repos.incidents.lookupStats).toBeUndefined();
      await repos.incidents.update(checkout.id, { title: 'Checkout is down' }, T0);
      const [byChannel, byId, other] = await Promise.all([
        repos.incidents.findByChannel('C0CHECKOUT'),
        repos.incidents.findById(checkout.id),
        repos.incidents.findByChannel('C0SEARCH01'),
      ]);
      expect(byChannel?.title).toBe('Checkout is down');
      expect(byId?.title).toBe('Checkout is down');
      expect(other).toEqual(search);
    });
    // None of them went through the store's groups.
    expect(statements()).toEqual(before);
  });

  test('a lookup made after a write sees it, even while an earlier lookup of the same channel is running', async () => {
    const earlier = Promise.all([store.incidents.findByChannel('C0CHECKOUT'), store.incidents.findById(checkout.id)]);
    await turn();
    // Written past the repository, on another connection, while the earlier group may still run.
    await sql`update incidents set title = 'Checkout is down' where id = ${checkout.id}`.execute(store.db);
    const [byChannel, byId] = await Promise.all([store.incidents.findByChannel('C0CHECKOUT'), store.incidents.findById(checkout.id)]);
    expect(byChannel?.title).toBe('Checkout is down');
    expect(byId?.title).toBe('Checkout is down');
    expect((await earlier).map((incident) => incident?.id)).toEqual([checkout.id, checkout.id]);
    // Through the repository: its answer and the next lookups agree.
    const updated = await store.incidents.update(search.id, { title: 'Search is down' }, T0);
    expect(updated.title).toBe('Search is down');
    expect(await Promise.all([store.incidents.findByChannel('C0SEARCH01'), store.incidents.findById(search.id)])).toEqual([
      updated,
      updated,
    ]);
  });

  test('a group that fails is run call by call: a bad key fails only its own lookup', async () => {
    // 2^31 is no integer id on PostgreSQL: the statement holding it is refused.
    const results = await Promise.allSettled([checkout.id, 2 ** 31, search.id].map((id) => store.incidents.findById(id)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: checkout });
    expect(results[2]).toEqual({ status: 'fulfilled', value: search });
    if (grouped) expect(results[1].status).toBe('rejected');
  });
});

const postgresOnly = databaseKinds.includes('postgres') ? describe : describe.skip;

postgresOnly('grouped incident lookups and the ack lane (PostgreSQL)', () => {
  let database: TestDatabase;
  let shared: Pool;
  let lane: Pool;
  let db: Kysely<Database>;
  let incidents: KyselyIncidentRepository;
  let checkout: Incident;

  beforeEach(async () => {
    database = await testDatabase('postgres');
    const store = await Store.open(database.url);
    const incident = await store.transaction((repos) => repos.incidents.insert(record('Checkout is failing')));
    checkout = await store.incidents.update(incident.id, { channelId: 'C0CHECKOUT' }, T0);
    await store.close();
    // One shared connection (background work will hold it) and a lane of its own, as the app's store has.
    shared = new Pool({ connectionString: database.url, max: 1 });
    lane = new Pool({ connectionString: database.url, max: 2 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PreparingPostgresPool(shared, lane) }) });
    incidents = new KyselyIncidentRepository(db);
  });

  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  test("lookups before an ack are grouped on the lane, whoever in the turn came first; after-ack ones on the shared pool's", async () => {
    let finish: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Background work holds the one shared connection.
    const background = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await held;
    });
    // Released even when an expectation fails (else the pool would never end).
    const release = async () => {
      finish();
      await background;
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));

      // In one turn: lookups of background work first (with one group for all, they would
      // schedule its statement, in their context), then requests before their acks, the first
      // acknowledged before the statement runs (the lookup was made before: still the lane's),
      // then one acknowledged already.
      const afterAck = [incidents.findByChannel('C0CHECKOUT'), incidents.findById(checkout.id)];
      const beforeAck = [
        runBeforeAck((acknowledged) => {
          const lookup = incidents.findByChannel('C0CHECKOUT');
          acknowledged();
          return lookup;
        }),
        runBeforeAck(() => incidents.findByChannel('C0NOWHERE1')),
        runBeforeAck(() => incidents.findByChannel('C0CHECKOUT')),
        runBeforeAck(() => incidents.findById(checkout.id)),
      ];
      const acknowledgedFirst = runBeforeAck((acknowledged) => {
        acknowledged();
        return incidents.findByChannel('C0CHECKOUT');
      });
      const others = Promise.all([...afterAck, acknowledgedFirst]);

      // The requests before their acks are answered while the shared pool is held...
      expect(await within(Promise.all(beforeAck), 1_000)).toEqual([checkout, undefined, checkout, checkout]);
      expect(incidents.lookupStats?.byChannel.beforeAck).toEqual({ calls: 3, statements: 1 });
      expect(incidents.lookupStats?.byId.beforeAck).toEqual({ calls: 1, statements: 1 });
      // ...while the others wait for it: they were not put on the lane.
      expect(await within(others, 100)).toBe('pending');

      await release();
      expect(await others).toEqual([checkout, checkout, checkout]);
      // Two lookups by channel after their acks in one statement; one by id.
      expect(incidents.lookupStats?.byChannel).toMatchObject({ calls: 5, statements: 2 });
      expect(incidents.lookupStats?.byId).toMatchObject({ calls: 2, statements: 2 });
    } finally {
      await release();
    }
  });
});
