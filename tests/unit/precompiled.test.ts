import { type Kysely, sql } from 'kysely';
import { openDatabase } from '../../store/database';
import { precompiled } from '../../store/precompiled';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

interface Scratch {
  scratch_items: { id: number; label: string; hits: number };
}

describe.each(databaseKinds)('precompiled queries (%s)', (kind) => {
  let database: TestDatabase;
  let db: Kysely<Scratch>;

  beforeEach(async () => {
    database = await testDatabase(kind);
    db = openDatabase(database.url).db as unknown as Kysely<Scratch>;
    await db.schema
      .createTable('scratch_items')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('label', 'text', (column) => column.notNull())
      .addColumn('hits', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await db
      .insertInto('scratch_items')
      .values([
        { id: 1, label: 'one', hits: 0 },
        { id: 2, label: 'two', hits: 0 },
      ])
      .execute();
  });

  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  it('is built once and answers each run with its own parameters', async () => {
    const build = jest.fn((scratch: Kysely<Scratch>, p: { id: number }) =>
      scratch.selectFrom('scratch_items').select(['id', 'label']).where('id', '=', p.id).where('label', '!=', 'none'),
    );
    const byId = precompiled(build);
    expect(await byId.first(db, { id: 2 })).toEqual({ id: 2, label: 'two' });
    expect(await byId.first(db, { id: 1 })).toEqual({ id: 1, label: 'one' });
    expect(await byId.first(db, { id: 3 })).toBeUndefined();
    // The constant ('none') stays where it was compiled; only the marker's slot changes.
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('writes with parameters and counts the rows it changed', async () => {
    const hit = precompiled((scratch: Kysely<Scratch>, p: { id: number; label: string }) =>
      scratch
        .updateTable('scratch_items')
        .set((eb) => ({ label: p.label, hits: eb('hits', '+', 1) }))
        .where('id', '=', p.id),
    );
    expect(await hit.affected(db, { id: 1, label: 'uno' })).toBe(1);
    expect(await hit.affected(db, { id: 1, label: 'eins' })).toBe(1);
    expect(await hit.affected(db, { id: 9, label: 'nine' })).toBe(0);
    const insert = precompiled((scratch: Kysely<Scratch>, p: { id: number; label: string }) =>
      scratch
        .insertInto('scratch_items')
        .values({ id: p.id, label: p.label, hits: 0 })
        .onConflict((conflict) => conflict.column('id').doNothing()),
    );
    expect(await insert.affected(db, { id: 3, label: 'three' })).toBe(1);
    expect(await insert.affected(db, { id: 3, label: 'again' })).toBe(0);
    const rows = await db.selectFrom('scratch_items').selectAll().orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, label: 'eins', hits: 2 },
      { id: 2, label: 'two', hits: 0 },
      { id: 3, label: 'three', hits: 0 },
    ]);
  });

  it('runs inside a transaction and rolls back with it', async () => {
    const rename = precompiled((scratch: Kysely<Scratch>, p: { id: number; label: string }) =>
      scratch.updateTable('scratch_items').set({ label: p.label }).where('id', '=', p.id),
    );
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await rename.affected(trx, { id: 2, label: 'changed' })).toBe(1);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect((await db.selectFrom('scratch_items').select('label').where('id', '=', 2).executeTakeFirstOrThrow()).label).toBe('two');
  });

  it('refuses, when first run, a builder that computes with a parameter instead of passing it through', async () => {
    const computed = precompiled((scratch: Kysely<Scratch>, p: { label: string }) =>
      scratch
        .selectFrom('scratch_items')
        .select('id')
        .where('label', '=', sql<string>`lower(${String(p.label)})`),
    );
    await expect(computed.rows(db, { label: 'ONE' })).rejects.toThrow(/parameter label was not compiled as one parameter/);
  });
});
