/**
 * Concurrent calls of one kind of statement, run as one statement: the effects of stored events
 * that the worker runs together (a batch of message counts, of repeated joins' reads) reach the
 * store in the same turn of the event loop, and on PostgreSQL each statement is a round trip,
 * a socket write and a wake-up of the server; one for a group costs about as much as one for an
 * item. Calls arriving while a group is being written wait for the next one.
 *
 * Every caller's promise settles with its own result, once the statement holding it has run.
 * When a group of several fails, each of its calls is run again alone, so one call that cannot
 * succeed fails only itself (its work item is retried on its own), never the others.
 */
export interface StatementGroupOptions {
  /** The most calls in one statement (default 128). */
  maxGroup?: number;
  /** Statements written at once (default 1: a group's rows are locked in one order, never two groups of this process against each other). */
  concurrency?: number;
  /**
   * The shortest time between the starts of two statements (default 0): under load, calls wait
   * up to this long to share one (SQLite writes a group in well under a millisecond, so groups
   * of one would otherwise follow each other); a call after a quiet spell goes on the next turn.
   */
  minIntervalMs?: number;
  /**
   * Whether a failed group is run again call by call (default true). False where a failure is
   * the database's, not one call's (storing an ack's event): running each alone would repeat it
   * as many times, while the callers wait.
   */
  splitOnFailure?: boolean;
}

interface Waiting<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

export class StatementGroup<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private scheduled = false;
  private writing = 0;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private readonly maxGroup: number;
  private readonly concurrency: number;
  private readonly minIntervalMs: number;
  private readonly splitOnFailure: boolean;
  /** What was run so far (tests read it). */
  readonly stats = { calls: 0, statements: 0 };

  /** `runMany` answers for each input, in order, from one statement (or one transaction). */
  constructor(
    private readonly runMany: (inputs: readonly I[]) => Promise<O[]>,
    options: StatementGroupOptions = {},
  ) {
    this.maxGroup = Math.max(1, options.maxGroup ?? 128);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.splitOnFailure = options.splitOnFailure ?? true;
  }

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing >= this.concurrency || this.waiting.length === 0) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      while (this.writing < this.concurrency && this.waiting.length > 0) void this.write(this.waiting.splice(0, this.maxGroup));
    };
    // The next turn at the earliest: calls made in this one (the other items of a claimed
    // batch, requests whose bodies arrived together) join the group.
    const wait = this.lastWriteAt + this.minIntervalMs - performance.now();
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  }

  private async write(group: Array<Waiting<I, O>>): Promise<void> {
    this.lastWriteAt = performance.now();
    this.writing += 1;
    try {
      await this.settle(group);
    } catch (error) {
      if (!this.splitOnFailure) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      // Alone after all: one statement per call, each settling (or failing) only itself.
      for (const waiting of group) await this.settle([waiting]).catch((failure: unknown) => waiting.reject(failure));
    } finally {
      this.writing -= 1;
      this.schedule();
    }
  }

  /** Runs the group's statement; resolves its callers, or throws (settling nobody) when it failed. */
  private async settle(group: Array<Waiting<I, O>>): Promise<void> {
    this.stats.calls += group.length;
    this.stats.statements += 1;
    let outputs: O[];
    try {
      outputs = await this.runMany(group.map((waiting) => waiting.input));
    } catch (error) {
      // A group of one fails as itself; a larger one is split by write().
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      throw error;
    }
    if (outputs.length !== group.length) throw new Error(`a grouped statement answered ${outputs.length} of ${group.length} calls`);
    for (const [index, waiting] of group.entries()) waiting.resolve(outputs[index]);
  }
}
