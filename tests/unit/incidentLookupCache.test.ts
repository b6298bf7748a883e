import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { NewIncidentRecord } from '../../incidents/ports';
import { Store } from '../../store';
import { CachingIncidentRepository } from '../../store/incidentLookupCache';

const record: NewIncidentRecord = {
  namePrefix: 'dispatch',
  title: 'Checkout is failing',
  description: 'Payments API answers 500',
  type: 'Availability',
  priority: 'High',
  visibility: 'open',
  reporterId: 'U0REPORTER',
  reportedAt: new Date('2026-03-01T10:00:00.000Z'),
};

/** The store's incident repository, which remembers lookups on SQLite. */
function lookups(store: Store): CachingIncidentRepository {
  if (!(store.incidents instanceof CachingIncidentRepository)) throw new Error('SQLite lookups should be remembered');
  return store.incidents;
}

describe('incident lookups remembered while nothing was written (SQLite)', () => {
  let folder: string;
  let store: Store;
  let incidentId: number;
  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lookups-'));
    store = await Store.open(`sqlite:${join(folder, 'dispatch.db')}`);
    const incident = await store.transaction((repositories) => repositories.incidents.insert(record));
    incidentId = incident.id;
    await store.incidents.update(incidentId, { channelId: 'C0INCIDENT1', channelName: 'dispatch-1-checkout' }, new Date());
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a second lookup of the same channel or id reads nothing, and answers the same (frozen) incident', async () => {
    const repository = lookups(store);
    const first = await store.incidents.findByChannel('C0INCIDENT1');
    const read = repository.stats.read;
    const second = await store.incidents.findByChannel('C0INCIDENT1');
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    expect(repository.stats.read).toBe(read);
    expect(repository.stats.remembered).toBeGreaterThan(0);
    const byId = await store.incidents.findById(incidentId);
    expect(await store.incidents.findById(incidentId)).toBe(byId);
    expect(await store.incidents.findByChannel('C0NOWHERE01')).toBeUndefined();
    expect(await store.incidents.findByChannel('C0NOWHERE01')).toBeUndefined();
  });

  test('any write by this process, to any table, makes the next lookup read again and see it', async () => {
    const before = await store.incidents.findByChannel('C0INCIDENT1');
    await store.incidents.update(incidentId, { status: 'stable', stableAt: new Date() }, new Date());
    expect((await store.incidents.findByChannel('C0INCIDENT1'))?.status).toBe('stable');
    // The roster is another table (its revision is part of the incident read).
    const revision = (await store.incidents.findById(incidentId))?.rosterRevision ?? 0;
    await store.participants.join(incidentId, 'U0ALICE001', new Date());
    expect((await store.incidents.findById(incidentId))?.rosterRevision).toBeGreaterThan(revision);
    // Even a write through raw SQL, or one rolled back, is noticed (never a stale answer).
    await sql`update incidents set title = 'Renamed by hand' where id = ${incidentId}`.execute(store.db);
    expect((await store.incidents.findByChannel('C0INCIDENT1'))?.title).toBe('Renamed by hand');
    expect(before?.status).toBe('active');
  });

  test('a commit by another connection to the file (a second process, a CLI script) is noticed', async () => {
    await store.incidents.findByChannel('C0INCIDENT1');
    const other = await Store.open(`sqlite:${join(folder, 'dispatch.db')}`);
    try {
      await other.incidents.update(incidentId, { title: 'Changed elsewhere' }, new Date());
    } finally {
      await other.close();
    }
    expect((await store.incidents.findByChannel('C0INCIDENT1'))?.title).toBe('Changed elsewhere');
  });

  test('inside a transaction lookups are read, never remembered', async () => {
    await store.transaction(async (repositories) => {
      expect(repositories.incidents).not.toBeInstanceOf(CachingIncidentRepository);
      await repositories.incidents.update(incidentId, { title: 'Inside' }, new Date());
      expect((await repositories.incidents.findByChannel('C0INCIDENT1'))?.title).toBe('Inside');
    });
    expect((await store.incidents.findByChannel('C0INCIDENT1'))?.title).toBe('Inside');
  });
});
