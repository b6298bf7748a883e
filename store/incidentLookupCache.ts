import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Incident } from '../incidents/model';
import { KyselyIncidentRepository } from './incidents';
import { type ChangeStamp, type DatabaseChanges, sameStamp } from './preparedStatements';
import type { Database } from './schema';

/** Lookups remembered per key; a burst in a few busy incidents needs a handful. */
const REMEMBERED_LOOKUPS = 1_000;

interface Remembered {
  stamp: ChangeStamp;
  incident: Incident | undefined;
}

/**
 * The incident lookups every command, button and stored job starts with, answered again without
 * the query while the database says nothing at all was written since they were read: not by this
 * process (any statement that may write, on any table) nor by another (SQLite's data_version), so
 * an answer can never be stale, whoever changed what. A write anywhere only makes the next lookup
 * read again. Only where the engine can tell that cheaply (SQLite: the check is a pragma that
 * reads no table, where the lookup cost ~40 µs of CPU in a busy process); outside transactions.
 *
 * The incidents handed out are frozen: every caller of a key gets the same object.
 */
export class CachingIncidentRepository extends KyselyIncidentRepository {
  private readonly byChannel = new LRUCache<string, Remembered>({ max: REMEMBERED_LOOKUPS });
  private readonly byId = new LRUCache<number, Remembered>({ max: REMEMBERED_LOOKUPS });
  /** Lookups answered from memory and read from the database (tests read it). */
  readonly stats = { remembered: 0, read: 0 };

  constructor(
    db: Kysely<Database>,
    private readonly changes: DatabaseChanges,
  ) {
    super(db);
  }

  override findByChannel(channelId: string): Promise<Incident | undefined> {
    return this.lookUp(this.byChannel, channelId, () => super.findByChannel(channelId));
  }

  override findById(id: number): Promise<Incident | undefined> {
    return this.lookUp(this.byId, id, () => super.findById(id));
  }

  private async lookUp<K extends string | number>(
    remembered: LRUCache<K, Remembered>,
    key: K,
    read: () => Promise<Incident | undefined>,
  ): Promise<Incident | undefined> {
    // Taken before the read: a write landing while the read waits for the connection leaves the
    // entry with an older stamp than what it holds, so the next lookup reads again (never the reverse).
    const stamp = this.changes.stamp();
    const known = remembered.get(key);
    if (known && sameStamp(known.stamp, stamp)) {
      this.stats.remembered += 1;
      return known.incident;
    }
    this.stats.read += 1;
    const found = await read();
    const incident = found && Object.freeze(found);
    remembered.set(key, { stamp, incident });
    return incident;
  }
}
