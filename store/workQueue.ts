import { type ExpressionBuilder, type Insertable, type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import { PrecompiledShapes } from './precompiled';
import type { Database, WorkItemsTable } from './schema';
import { fromIso, fromIsoOrNull, toIso } from './time';

/** Any value JSON can carry: what a work item's payload may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Work to be done later, by whichever replica claims it first. */
export interface NewWorkItem {
  kind: string;
  payload: JsonValue;
  /** Enqueued once per (kind, key): a second enqueue with the same key is a no-op. */
  dedupeKey?: string;
  /** Items with the same key run one at a time, in the order they were enqueued. */
  orderingKey?: string;
  /** Not claimed before this time (default: now). */
  runAfter?: Date;
  /**
   * Stored already claimed by this owner (its first attempt), for a worker that runs it at once
   * with no claim query: until `until`, as if claimed; after it, any worker may take it over.
   */
  leaseTo?: { owner: string; until: Date };
}

export interface EnqueueResult {
  id: number;
  /** False when an item with the same kind and dedupe key already existed. */
  created: boolean;
  /** The item as stored, when it was created with `leaseTo` (ready to run). */
  leased?: WorkItem;
}

/**
 * The port callers enqueue through. Enqueued inside a unit of work, the item commits (or rolls
 * back) with the change it belongs to.
 */
export interface WorkEnqueuer {
  enqueue(item: NewWorkItem): Promise<EnqueueResult>;
}

export type WorkStatus = 'pending' | 'done' | 'failed';

export interface WorkItem {
  id: number;
  kind: string;
  dedupeKey: string | null;
  orderingKey: string | null;
  payload: JsonValue;
  status: WorkStatus;
  /** Claims so far, this one included. */
  attempts: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ClaimRequest {
  /** Who takes the lease (one id per worker process). */
  owner: string;
  /** Only these kinds (the ones the worker has handlers for). */
  kinds: readonly string[];
  limit: number;
  now: Date;
  leaseMs: number;
}

const toItem = (row: Selectable<WorkItemsTable>): WorkItem => ({
  id: Number(row.id),
  kind: row.kind,
  dedupeKey: row.dedupe_key,
  orderingKey: row.ordering_key,
  payload: JSON.parse(row.payload) as JsonValue,
  status: row.status as WorkStatus,
  attempts: Number(row.attempts),
  nextAttemptAt: fromIso(row.next_attempt_at),
  leaseOwner: row.lease_owner,
  leaseUntil: fromIsoOrNull(row.lease_until),
  lastError: row.last_error,
  createdAt: fromIso(row.created_at),
  finishedAt: fromIsoOrNull(row.finished_at),
});

/**
 * Due, unleased items of these kinds that no earlier unfinished item with the same ordering
 * key holds back.
 */
function claimable(db: Kysely<Database>, kinds: readonly string[], now: string) {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // 'pending' as a literal, not a parameter: only then may the planner use the partial indexes
  // on pending work (WHERE status = 'pending'); with "= ?" it walks every item of the kind.
  return (
    db
      .selectFrom('work_items as w')
      .where('w.status', '=', sql.lit('pending'))
      .where('w.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('w.lease_until', 'is', null), eb('w.lease_until', '<', now)]))
      // SQLite: "+kind" keeps the planner off the dedupe index (kind, dedupe_key), which walks
      // every item of the kind ever stored, done ones included, instead of the pending ones.
      .where((eb) => (isPostgres ? eb('w.kind', 'in', [...kinds]) : eb(sql<string>`+${sql.ref('w.kind')}`, 'in', [...kinds])))
      .where((eb) =>
        eb.or([
          eb('w.ordering_key', 'is', null),
          eb.not(
            eb.exists(
              eb
                .selectFrom('work_items as earlier')
                .select('earlier.id')
                .whereRef('earlier.ordering_key', '=', 'w.ordering_key')
                .where('earlier.status', '=', sql.lit('pending'))
                .whereRef('earlier.id', '<', 'w.id'),
            ),
          ),
        ]),
      )
  );
}

/**
 * The work queue's busiest statements, compiled once per shape (store/precompiled.ts): a claim
 * per number of kinds, a completion per number of ids, a grouped insert per number of rows.
 * Their parameters are named by index: `kind0`, `id3`, `payload12`.
 */
type ClaimParams = { now: string; leaseUntil: string; owner: string; limit: number } & Record<`kind${number}`, string>;
const claimQueries = new PrecompiledShapes((db: Kysely<Database>, p: ClaimParams, kindCount: number) => {
  const kinds = Array.from({ length: kindCount }, (_, index) => p[`kind${index}`]);
  let candidates = claimable(db, kinds, p.now).select('w.id').orderBy('w.next_attempt_at').orderBy('w.id').limit(p.limit);
  if (db.getExecutor().adapter instanceof PostgresAdapter) candidates = candidates.forUpdate().skipLocked();
  // Materialised: PostgreSQL may otherwise run a LIMIT ... SKIP LOCKED subquery once per
  // outer row and lease more than `limit` items.
  return (
    db
      .with(
        (cte) => cte('candidates').materialized(),
        () => candidates,
      )
      .updateTable('work_items')
      .set((eb: ExpressionBuilder<Database, 'work_items'>) => ({
        lease_owner: p.owner,
        lease_until: p.leaseUntil,
        attempts: eb('attempts', '+', 1),
        updated_at: p.now,
      }))
      .where('id', 'in', (eb) => eb.selectFrom('candidates').select('candidates.id'))
      // Checked again on the locked row: another claimer may have taken it since the scan.
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', p.now)]))
      .returningAll()
  );
});

type CompleteParams = { owner: string; at: string } & Record<`id${number}`, number>;
const completeQueries = new PrecompiledShapes((db: Kysely<Database>, p: CompleteParams, idCount: number) =>
  db
    .updateTable('work_items')
    .set({ status: 'done', lease_owner: null, lease_until: null, finished_at: p.at, updated_at: p.at })
    .where(
      'id',
      'in',
      Array.from({ length: idCount }, (_, index) => p[`id${index}`]),
    )
    .where('lease_owner', '=', p.owner)
    .where('status', '=', 'pending')
    .returning('id'),
);

/** Every column of a new item, in every row: a grouped insert mixes leased and unleased items. */
const INSERTED_COLUMNS = [
  'kind',
  'dedupe_key',
  'ordering_key',
  'payload',
  'status',
  'next_attempt_at',
  'created_at',
  'updated_at',
  'lease_owner',
  'lease_until',
  'attempts',
] as const satisfies ReadonlyArray<keyof Insertable<WorkItemsTable>>;
type InsertParams = Record<`${(typeof INSERTED_COLUMNS)[number]}${number}`, unknown>;
const insertQueries = new PrecompiledShapes((db: Kysely<Database>, p: InsertParams, rowCount: number) =>
  db
    .insertInto('work_items')
    .values(
      Array.from({ length: rowCount }, (_, index) => {
        const row: Record<string, unknown> = {};
        for (const column of INSERTED_COLUMNS) row[column] = p[`${column}${index}`];
        return row as Insertable<WorkItemsTable>;
      }),
    )
    .onConflict((conflict) => conflict.columns(['kind', 'dedupe_key']).doNothing())
    .returning(['id', 'kind', 'dedupe_key']),
);

/** Error texts are kept short: they are for an operator reading the table, not a dump. */
const MAX_ERROR_LENGTH = 2000;

/**
 * The durable work queue in the shared database. Claims are atomic on both engines: PostgreSQL
 * locks the candidate rows with FOR UPDATE SKIP LOCKED inside one UPDATE, SQLite runs the same
 * UPDATE ... RETURNING under its single writer. A lease that runs out (its replica died) makes
 * the item claimable again.
 */
export class WorkQueueRepository implements WorkEnqueuer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async enqueue(item: NewWorkItem): Promise<EnqueueResult> {
    if (item.dedupeKey !== undefined) {
      const [result] = await this.enqueueMany([item]);
      return result;
    }
    const at = this.clock();
    const inserted = await this.db.insertInto('work_items').values(this.rowOf(item, at)).returning('id').executeTakeFirstOrThrow();
    const id = Number(inserted.id);
    return item.leaseTo ? { id, created: true, leased: this.leasedItem(id, item, at) } : { id, created: true };
  }

  /**
   * Enqueues several items with dedupe keys in one statement (one commit): the ack lane groups
   * the events of concurrent acks this way. Results in the order of `items`; of items sharing a
   * kind and key, only the first can be created.
   */
  async enqueueMany(items: readonly NewWorkItem[]): Promise<EnqueueResult[]> {
    if (items.length === 0) return [];
    const at = this.clock();
    const keyOf = (item: NewWorkItem) => {
      if (item.dedupeKey === undefined) throw new Error('enqueueMany takes items with a dedupe key');
      return `${item.kind}\u0000${item.dedupeKey}`;
    };
    const firsts = new Map<string, NewWorkItem>();
    for (const item of items) if (!firsts.has(keyOf(item))) firsts.set(keyOf(item), item);
    const params: Record<string, unknown> = {};
    let count = 0;
    for (const item of firsts.values()) {
      const row = this.rowOf(item, at);
      for (const column of INSERTED_COLUMNS) params[`${column}${count}`] = row[column];
      count += 1;
    }
    const inserted = await insertQueries.of(count).rows(this.db, params as InsertParams);
    const created = new Map(inserted.map((row) => [`${row.kind}\u0000${row.dedupe_key}`, Number(row.id)]));
    const existing = new Map<string, number>();
    const missing = [...firsts.values()].filter((item) => !created.has(keyOf(item)));
    if (missing.length > 0) {
      // Stored before (a retried delivery): the ids of what is there.
      const rows = await this.db
        .selectFrom('work_items')
        .select(['id', 'kind', 'dedupe_key'])
        .where((eb) => eb.or(missing.map((item) => eb.and([eb('kind', '=', item.kind), eb('dedupe_key', '=', item.dedupeKey ?? '')]))))
        .execute();
      for (const row of rows) existing.set(`${row.kind}\u0000${row.dedupe_key}`, Number(row.id));
    }
    return items.map((item): EnqueueResult => {
      const key = keyOf(item);
      const id = created.get(key);
      if (id !== undefined && firsts.get(key) === item) {
        return item.leaseTo ? { id, created: true, leased: this.leasedItem(id, item, at) } : { id, created: true };
      }
      const found = id ?? existing.get(key);
      if (found === undefined) throw new Error(`work item ${item.kind} ${item.dedupeKey} was neither stored nor found`);
      return { id: found, created: false };
    });
  }

  private rowOf(item: NewWorkItem, at: Date): Insertable<WorkItemsTable> {
    const now = toIso(at);
    const lease = item.leaseTo;
    return {
      kind: item.kind,
      dedupe_key: item.dedupeKey ?? null,
      ordering_key: item.orderingKey ?? null,
      payload: JSON.stringify(item.payload),
      status: 'pending',
      next_attempt_at: toIso(item.runAfter ?? at),
      created_at: now,
      updated_at: now,
      // Every column in every row: a grouped insert mixes leased and unleased items, and SQLite
      // has no DEFAULT in a VALUES list.
      lease_owner: lease?.owner ?? null,
      lease_until: lease ? toIso(lease.until) : null,
      attempts: lease ? 1 : 0,
    };
  }

  /** The item as a claim would have returned it, for one stored already leased. */
  private leasedItem(id: number, item: NewWorkItem, at: Date): WorkItem {
    return {
      id,
      kind: item.kind,
      dedupeKey: item.dedupeKey ?? null,
      orderingKey: item.orderingKey ?? null,
      // The caller's own value (JSON already): not parsed back from the row, which costs as much as storing it.
      payload: item.payload,
      status: 'pending',
      attempts: 1,
      nextAttemptAt: item.runAfter ?? at,
      leaseOwner: item.leaseTo?.owner ?? null,
      leaseUntil: item.leaseTo?.until ?? null,
      lastError: null,
      createdAt: at,
      finishedAt: null,
    };
  }

  /**
   * Leases up to `limit` due items to `owner`. An item is skipped while an earlier item with the
   * same ordering key is unfinished (pending, leased or waiting for its retry).
   */
  async claim(request: ClaimRequest): Promise<WorkItem[]> {
    if (request.limit <= 0 || request.kinds.length === 0) return [];
    const params: Record<string, unknown> = {
      now: toIso(request.now),
      leaseUntil: toIso(new Date(request.now.getTime() + request.leaseMs)),
      owner: request.owner,
      limit: request.limit,
    };
    for (const [index, kind] of request.kinds.entries()) params[`kind${index}`] = kind;
    const rows = await claimQueries.of(request.kinds.length).rows(this.db, params as ClaimParams);
    return rows.map(toItem).sort((a, b) => a.id - b.id);
  }

  /** Extends the leases `owner` still holds; returns the ids it still holds. */
  async renewLeases(owner: string, ids: readonly number[], until: Date): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('work_items')
      .set({ lease_until: toIso(until), updated_at: toIso(this.clock()) })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    return rows.map((row) => Number(row.id));
  }

  /** Marks the item done; false if `owner` had lost its lease (another replica took it over). */
  async complete(id: number, owner: string, at: Date): Promise<boolean> {
    return (await this.completeMany([id], owner, at)).length > 0;
  }

  /**
   * Marks several items done in one statement; returns the ids that were (the others' leases
   * had been taken over by another replica).
   */
  async completeMany(ids: readonly number[], owner: string, at: Date): Promise<number[]> {
    if (ids.length === 0) return [];
    const params: Record<string, unknown> = { owner, at: toIso(at) };
    for (const [index, id] of ids.entries()) params[`id${index}`] = id;
    const rows = await completeQueries.of(ids.length).rows(this.db, params as CompleteParams);
    return rows.map((row) => Number(row.id));
  }

  /** Gives the item back for another attempt at `retryAt`, keeping the error for operators. */
  async retryLater(id: number, owner: string, retryAt: Date, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('work_items')
      .set({
        lease_owner: null,
        lease_until: null,
        next_attempt_at: toIso(retryAt),
        last_error: error.slice(0, MAX_ERROR_LENGTH),
        updated_at: toIso(this.clock()),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives up on the item: it stays in the table as failed, with its last error. */
  async fail(id: number, owner: string, at: Date, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('work_items')
      .set({
        status: 'failed',
        lease_owner: null,
        lease_until: null,
        last_error: error.slice(0, MAX_ERROR_LENGTH),
        finished_at: toIso(at),
        updated_at: toIso(at),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Releases leases `owner` holds without counting the attempt (a graceful stop mid-work). */
  async release(owner: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('work_items')
      .set((eb) => ({ lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1), updated_at: toIso(this.clock()) }))
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  async find(kind: string, dedupeKey: string): Promise<WorkItem | undefined> {
    const row = await this.db
      .selectFrom('work_items')
      .selectAll()
      .where('kind', '=', kind)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row ? toItem(row) : undefined;
  }

  async get(id: number): Promise<WorkItem | undefined> {
    const row = await this.db.selectFrom('work_items').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toItem(row) : undefined;
  }

  /** Items not finished yet (waiting, leased or backing off), optionally of some kinds. */
  async countUnfinished(kinds?: readonly string[]): Promise<number> {
    let query = this.db
      .selectFrom('work_items')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('status', '=', 'pending');
    if (kinds && kinds.length > 0) query = query.where('kind', 'in', [...kinds]);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Items a worker would claim if it looked now (due, not leased, not held back by their order). */
  async claimableCount(kinds: readonly string[], now: Date): Promise<number> {
    if (kinds.length === 0) return 0;
    const row = await claimable(this.db, kinds, toIso(now))
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The earliest time a pending item becomes due (undefined when none is waiting). */
  async nextDueAt(kinds: readonly string[]): Promise<Date | undefined> {
    if (kinds.length === 0) return undefined;
    const row = await this.db
      .selectFrom('work_items')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('status', '=', 'pending')
      .where('kind', 'in', [...kinds])
      .executeTakeFirst();
    return row?.due ? fromIso(String(row.due)) : undefined;
  }

  /**
   * Forgets finished items older than `olderThan` (dedupe keys are kept that long). Failed items
   * are kept until `failedOlderThan` when given: operators list and redeliver them.
   */
  async prune(olderThan: Date, failedOlderThan: Date = olderThan): Promise<number> {
    const result = await this.db
      .deleteFrom('work_items')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'done'), eb('finished_at', '<', toIso(olderThan))]),
          eb.and([eb('status', '=', 'failed'), eb('finished_at', '<', toIso(failedOlderThan))]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Failed items of `kind`, most recently failed first. */
  async listFailed(kind: string, limit = 100): Promise<WorkItem[]> {
    const rows = await this.db
      .selectFrom('work_items')
      .selectAll()
      .where('kind', '=', kind)
      .where('status', '=', 'failed')
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toItem);
  }

  /**
   * Puts a failed item back to work: pending, due at `at`, attempts counted from zero, the last
   * error kept for reference; `payload` replaces the stored one when given. False when the item
   * is not failed (unknown, done, or still pending).
   */
  async requeue(id: number, at: Date, payload?: JsonValue): Promise<boolean> {
    const result = await this.db
      .updateTable('work_items')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: toIso(at),
        lease_owner: null,
        lease_until: null,
        finished_at: null,
        updated_at: toIso(at),
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
