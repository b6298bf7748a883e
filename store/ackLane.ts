import type { Kysely } from 'kysely';
import { ACK_LANE_CONNECTIONS, runBeforeAck } from './ackPhase';
import type { DialectName } from './database';
import type { Database } from './schema';
import { type EnqueueResult, type NewWorkItem, type WorkEnqueuer, WorkQueueRepository } from './workQueue';

/** The queue an ack writes to, on connections nothing else uses (see ackPhase.ts for the rest of the ack lane). */
export interface AckLane {
  queue: WorkEnqueuer;
  close(): Promise<void>;
}

/** Rows in one grouped insert: more waiting acks go in the next statement. */
const MAX_GROUP = 64;

interface Waiting {
  item: NewWorkItem;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for acks: the items of acks that arrive in the same turn of the event loop (or
 * while the previous group is being written) are stored in one INSERT, one commit, instead of
 * one commit each. Every caller's promise settles only when the statement holding its item has
 * committed (or failed), so an ack still answers 200 only for what is durable.
 * Items without a dedupe key are stored one by one.
 */
export class GroupedEnqueue implements WorkEnqueuer {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private writing = 0;
  /** What was written so far (tests and benchmarks read it). */
  readonly stats = { items: 0, statements: 0 };

  constructor(
    private readonly queue: WorkQueueRepository,
    /** Groups written at once (one per connection the lane may use). */
    private readonly concurrency = 1,
    /** Runs each write as (part of) an ack, so it gets a lane connection (ackPhase.ts). */
    private readonly asAck: <T>(write: () => Promise<T>) => Promise<T> = (write) => write(),
  ) {}

  enqueue(item: NewWorkItem): Promise<EnqueueResult> {
    if (item.dedupeKey === undefined) return this.asAck(() => this.queue.enqueue(item));
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing >= this.concurrency || this.waiting.length === 0) return;
    this.scheduled = true;
    // The next turn: requests whose bodies arrived in this one join the group.
    setImmediate(() => {
      this.scheduled = false;
      while (this.writing < this.concurrency && this.waiting.length > 0) this.write(this.waiting.splice(0, MAX_GROUP));
    });
  }

  private write(group: Waiting[]): void {
    this.writing += 1;
    this.stats.items += group.length;
    this.stats.statements += 1;
    this.asAck(() => this.queue.enqueueMany(group.map((waiting) => waiting.item)))
      .then(
        (results) => {
          for (const [index, waiting] of group.entries()) waiting.resolve(results[index]);
        },
        (error: unknown) => {
          for (const waiting of group) waiting.reject(error);
        },
      )
      .finally(() => {
        this.writing -= 1;
        this.schedule();
      });
  }
}

/**
 * The inbox's queue on the ack lane: every grouped insert runs in an ack phase of its own, so on
 * PostgreSQL it takes a connection of the store's lane pool (ackPhase.ts: a few connections of
 * their own, each statement within the ack's 2 s budget, so an overloaded database makes Slack
 * retry instead of the ack hanging), shared with the other acks' queries. SQLite has one writer
 * anyway (and an in-memory database exists on one connection only): there the lane is the
 * shared connection. On both, concurrent acks share commits (GroupedEnqueue).
 */
export function openAckLane(dialect: DialectName, shared: Kysely<Database>): AckLane {
  const grouped = new GroupedEnqueue(new WorkQueueRepository(shared), dialect === 'postgres' ? ACK_LANE_CONNECTIONS : 1, (write) =>
    runBeforeAck(write),
  );
  return { queue: grouped, close: async () => undefined };
}
