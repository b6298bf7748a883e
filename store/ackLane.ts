import { Kysely, PostgresDialect } from 'kysely';
import { ACK_LANE_CONNECTIONS, openAckLanePool } from './ackPhase';
import type { DialectName } from './database';
import { PreparingPostgresPool } from './preparedStatements';
import type { Database } from './schema';
import { StatementGroup } from './statementGroup';
import { type EnqueueResult, type NewWorkItem, type WorkEnqueuer, WorkQueueRepository } from './workQueue';

/** The queue an ack writes to, on connections nothing else uses. */
export interface AckLane {
  queue: WorkEnqueuer;
  close(): Promise<void>;
}

/** Rows in one grouped insert: more waiting acks go in the next statement. */
const MAX_GROUP = 64;
/**
 * SQLite writes a group in well under a millisecond, so under load groups of one would follow
 * each other; a group written one at a time costs ~5× more per item than one of ten. Acks wait
 * at most this long for company (Slack allows 3 s).
 */
const SQLITE_GROUP_INTERVAL_MS = 2;

/**
 * Group commit for acks: the items of acks that arrive in the same turn of the event loop (or
 * while the previous group is being written) are stored in one INSERT, one commit, instead of
 * one commit each (a StatementGroup). Every caller's promise settles only when the statement
 * holding its item has committed (or failed), so an ack still answers 200 only for what is
 * durable; a failed statement fails every ack in it, which Slack then retries.
 * Items without a dedupe key are stored one by one.
 */
export class GroupedEnqueue implements WorkEnqueuer {
  private readonly group: StatementGroup<NewWorkItem, EnqueueResult>;

  constructor(
    private readonly queue: WorkQueueRepository,
    options: {
      /** Groups written at once (one per connection the lane may use). */
      concurrency?: number;
      /**
       * The shortest time between two groups: under load, acks wait up to this long to share
       * a commit; an ack after a quiet spell is written on the next turn.
       */
      minIntervalMs?: number;
    } = {},
  ) {
    this.group = new StatementGroup((items) => queue.enqueueMany(items), { ...options, maxGroup: MAX_GROUP, splitOnFailure: false });
  }

  /** What was written so far (tests and benchmarks read it). */
  get stats(): { items: number; statements: number } {
    return { items: this.group.stats.calls, statements: this.group.stats.statements };
  }

  enqueue(item: NewWorkItem): Promise<EnqueueResult> {
    if (item.dedupeKey === undefined) return this.queue.enqueue(item);
    return this.group.run(item);
  }
}

/**
 * PostgreSQL: a small pool of its own, with a statement timeout below Slack's 3 s, so an
 * overloaded database makes Slack retry instead of the ack hanging. SQLite has one writer
 * anyway (and an in-memory database exists on one connection only): the lane is the shared db.
 * On both, concurrent acks share commits (GroupedEnqueue).
 */
export function openAckLane(url: string, dialect: DialectName, shared: Kysely<Database>, statementTimeoutMs = 2_000): AckLane {
  if (dialect !== 'postgres') {
    const queue = new GroupedEnqueue(new WorkQueueRepository(shared), { minIntervalMs: SQLITE_GROUP_INTERVAL_MS });
    return { queue, close: async () => undefined };
  }
  // A pool of the same shape as the request lane's (store/ackPhase.ts), but the inbox's own.
  const pool = openAckLanePool(url, statementTimeoutMs);
  // Named statements here too: the ack runs the same few queries every time.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PreparingPostgresPool(pool) }) });
  return { queue: new GroupedEnqueue(new WorkQueueRepository(db), { concurrency: ACK_LANE_CONNECTIONS }), close: () => db.destroy() };
}
