import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { openDatabase } from '../../store/database';
import { STATEMENTS_PER_CONNECTION, StatementCachingSqlite } from '../../store/preparedStatements';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';

interface Scratch {
  items: { id: number; label: string };
}

describe('prepared statements cached per connection (SQLite)', () => {
  let connection: BetterSqlite3.Database;
  let cache: StatementCachingSqlite;
  let db: Kysely<Scratch>;

  beforeEach(async () => {
    connection = new BetterSqlite3(':memory:');
    cache = new StatementCachingSqlite(connection);
    db = new Kysely<Scratch>({ dialect: new SqliteDialect({ database: cache }) });
    await db.schema
      .createTable('items')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('label', 'text')
      .execute();
  });

  afterEach(() => db.destroy());

  it('compiles a query once and reuses it for every later run with other parameters', async () => {
    const prepare = jest.spyOn(connection, 'prepare');
    for (let id = 1; id <= 20; id += 1)
      await db
        .insertInto('items')
        .values({ id, label: `item ${id}` })
        .execute();
    const labels: string[] = [];
    for (let id = 1; id <= 20; id += 1) {
      const row = await db.selectFrom('items').select('label').where('id', '=', id).executeTakeFirstOrThrow();
      labels.push(row.label);
    }
    expect(labels[0]).toBe('item 1');
    expect(labels[19]).toBe('item 20');
    // One insert and one select text: two compilations for forty queries.
    expect(prepare).toHaveBeenCalledTimes(2);
    expect(cache.stats.reused).toBeGreaterThanOrEqual(38);
  });

  it('a cached statement follows a change of schema made after it was prepared', async () => {
    await db.insertInto('items').values({ id: 1, label: 'one' }).execute();
    const before = await db.selectFrom('items').selectAll().execute();
    await sql`alter table items add column colour text default 'red'`.execute(db);
    const after = (await db.selectFrom('items').selectAll().execute()) as Array<Record<string, unknown>>;
    expect(Object.keys(before[0])).toEqual(['id', 'label']);
    expect(after[0]).toEqual({ id: 1, label: 'one', colour: 'red' });
  });

  it('keeps at most a bounded number of statements, so varying SQL cannot grow it without end', async () => {
    for (let width = 1; width <= STATEMENTS_PER_CONNECTION + 50; width += 1) {
      const ids = Array.from({ length: width }, (_, index) => index);
      await db.selectFrom('items').select('id').where('id', 'in', ids).execute();
    }
    const prepare = jest.spyOn(connection, 'prepare');
    // The earliest texts were evicted: asking for one again compiles it again.
    await db.selectFrom('items').select('id').where('id', 'in', [0]).execute();
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it("is what the app's store opens SQLite with", async () => {
    const opened = openDatabase('sqlite::memory:');
    const prepare = jest.spyOn(BetterSqlite3.prototype, 'prepare');
    for (let n = 0; n < 10; n += 1) await sql`select ${n} as n`.execute(opened.db);
    expect(prepare).toHaveBeenCalledTimes(1);
    prepare.mockRestore();
    await opened.db.destroy();
  });
});

const describePostgres = postgresUrl ? describe : describe.skip;

describePostgres('named prepared statements on each PostgreSQL connection', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await postgresSchema();
  });

  afterEach(() => database.drop());

  it('prepares a query once on a connection and runs it by name afterwards', async () => {
    const opened = openDatabase(database.url);
    const prepared = await opened.db.connection().execute(async (connection) => {
      for (let n = 0; n < 5; n += 1) await sql`select ${n}::int as n`.execute(connection);
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(
        connection,
      );
      return rows;
    });
    const ours = prepared.filter((row) => row.statement.includes('as n'));
    expect(ours).toHaveLength(1);
    expect(ours[0].name).toMatch(/^k_[0-9a-f]{20}$/);
    await opened.db.destroy();
  });
});
