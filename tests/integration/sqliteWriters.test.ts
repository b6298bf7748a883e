import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Store } from '../../store';

/**
 * Another writer on the same SQLite file (a CLI such as `npm run webhooks`, an operator's
 * sqlite3 shell) must not make a unit of work fail half way. A deferred "begin" would: the unit
 * reads, the other writer commits, and the unit's first write is then refused at once with
 * "database is locked" (its snapshot is stale), whatever the busy timeout. The store's
 * transactions take the write lock when they begin, so the other writer waits its turn instead.
 */
describe('a unit of work on SQLite beside another writer of the file', () => {
  let directory: string;
  let store: Store;
  let other: BetterSqlite3.Database;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'dispatch-writers-'));
    const file = join(directory, 'dispatch.db');
    store = await Store.open(`sqlite:${file}`);
    // Short: in one process, waiting longer would only hold up the test (the lock is the store's).
    other = new BetterSqlite3(file, { timeout: 50 });
  });
  afterEach(async () => {
    other.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('a write by the other connection between its read and its write does not fail the unit', async () => {
    let otherWriter: 'committed' | 'waited its turn' | undefined;
    await store.transaction(async (tx) => {
      await tx.workQueue.countUnfinished();
      try {
        other.prepare("insert into processed_events (event_id, received_at) values ('Ev-other', '2026-12-02T00:00:00Z')").run();
        otherWriter = 'committed';
      } catch (error) {
        if (!/locked|busy/i.test(String(error))) throw error;
        otherWriter = 'waited its turn';
      }
      await tx.processedEvents.claim('Ev-unit', new Date());
    });
    expect(otherWriter).toBe('waited its turn');
    const ids = other.prepare('select event_id from processed_events order by event_id').all();
    expect(ids).toEqual([{ event_id: 'Ev-unit' }]);
  });
});
