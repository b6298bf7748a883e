import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppLogger } from '../../logging/logger';
import type { JsonValue, WorkItem, WorkQueueRepository } from '../../store/workQueue';
import { workMetrics } from './metrics';

/** Thrown by a handler when trying again cannot help (the payload is unusable): no more attempts. */
export class PermanentWorkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentWorkError';
  }
}

/**
 * Thrown by a handler that knows when trying again makes sense (an endpoint's Retry-After, a
 * policy of its own): the item is retried after `retryInMs` instead of the kind's backoff.
 */
export class RetryWorkError extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RetryWorkError';
  }
}

export type WorkHandler = (payload: JsonValue, item: WorkItem) => Promise<void>;

export interface KindOptions {
  /** Attempts before the item is marked failed (default 8). */
  maxAttempts?: number;
  /** First retry delay; each further one doubles, with jitter (default 1 s). */
  retryBaseMs?: number;
  /** The longest retry delay (default 5 minutes). */
  retryMaxMs?: number;
  /**
   * Called once when an item of this kind is given up on (after it is marked failed), with the
   * error that ended it: to count it or tell someone. Its own failure is logged, not retried.
   */
  onFailure?: (item: WorkItem, error: unknown) => Promise<void>;
}

interface RegisteredKind extends Required<Omit<KindOptions, 'onFailure'>> {
  handler: WorkHandler;
  onFailure?: KindOptions['onFailure'];
}

/** Which function runs each kind of work item. Every replica registers the same kinds. */
export class WorkRegistry {
  private readonly kinds = new Map<string, RegisteredKind>();

  register(kind: string, handler: WorkHandler, options: KindOptions = {}): this {
    if (this.kinds.has(kind)) throw new Error(`a handler for work of kind ${kind} is already registered`);
    this.kinds.set(kind, {
      handler,
      maxAttempts: options.maxAttempts ?? 8,
      retryBaseMs: options.retryBaseMs ?? 1_000,
      retryMaxMs: options.retryMaxMs ?? 300_000,
      onFailure: options.onFailure,
    });
    return this;
  }

  get(kind: string): RegisteredKind | undefined {
    return this.kinds.get(kind);
  }

  get names(): string[] {
    return [...this.kinds.keys()];
  }
}

/**
 * The shortest time between two completion writes: one item at a time costs ~6× more per item
 * than eight together (SQLite), and an item waits at most this long to be marked done.
 */
const COMPLETION_INTERVAL_MS = 2;
/**
 * Finished items whose completion is not written yet, per room of maxInFlight: past it, no more
 * is claimed until the database catches up (it is slow or failing), so they cannot pile up.
 */
const FINISHING_PER_ROOM = 4;

/** Exponential backoff with jitter: between half and all of base * 2^(attempt-1), capped. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface WorkerOptions {
  queue: WorkQueueRepository;
  /** Handlers known so far; more can be added with register(). */
  registry?: WorkRegistry;
  logger: AppLogger;
  /** Items run at once by this process; the rest wait in the database (default 8). */
  maxInFlight?: number;
  /** How often the database is asked for due work when nothing woke the worker (default 1 s). */
  pollIntervalMs?: number;
  /** How long a claim lasts without renewal; a dead replica's items are taken over after it (default 30 s). */
  leaseMs?: number;
  /** Lease owner id; unique per process by default. */
  owner?: string;
  /**
   * True while the process should answer requests before anything else (the event loop is late,
   * acknowledged requests wait): then one item at a time is claimed, a few a second, so stored
   * work still moves but leaves the CPU and the connections to the acks.
   */
  busy?: () => boolean;
  /**
   * True while requests keep arriving: then at most an eighth of maxInFlight runs at once, so the
   * acks keep most of the CPU, and the whole bound once they stop (a burst's backlog drains at
   * full speed). Without it, always the whole bound.
   */
  requestsArriving?: () => boolean;
  /**
   * How late (past its due time) a claimed item may start before the worker stops giving way to
   * requests: then it runs the whole bound and ignores busy() until an item starts on time again,
   * so a steady stream of requests cannot hold stored work back without end. Unset: always gives way.
   */
  maxLagMs?: number;
  now?: () => Date;
}

/**
 * Room for one item in a worker, taken before the item is stored: the caller stores it with
 * `lease` (already claimed, so no claim query finds it) and hands it over with adopt(), or
 * gives the room back with cancel() when it stored nothing new.
 */
export interface WorkReservation {
  lease: { owner: string; until: Date };
  adopt(item: WorkItem): void;
  cancel(): void;
}

/**
 * Claims due work items from the shared database and runs their handlers, at most
 * `maxInFlight` at a time: backpressure is the database, not memory. Leases are renewed while a
 * handler runs; a failure is retried with backoff, then marked failed.
 */
export class WorkQueueWorker {
  readonly owner: string;
  private readonly queue: WorkQueueRepository;
  private readonly registry: WorkRegistry;
  private readonly logger: AppLogger;
  private readonly maxInFlight: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly busy: () => boolean;
  private readonly requestsArriving: () => boolean;
  private readonly maxLagMs: number;
  /** The last item started was due longer ago than maxLagMs: requests no longer come first. */
  private behind = false;
  /** Items whose handler runs now: each holds a room of maxInFlight. */
  private readonly running = new Map<number, Promise<void>>();
  /**
   * Items whose handler is done, waiting for their completion write: they hold no room (the next
   * item need not wait for a round trip that changes nothing it does), but still their lease.
   */
  private readonly finishing = new Map<number, Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private claiming = false;
  private claims = 0;
  /** Rooms handed out by reserve() and not yet adopted or cancelled. */
  private reserved = 0;
  /** The last claim filled all the room there was: more may be waiting, so a finished item looks again. */
  private backlog = false;
  private lastCompletionAt = Number.NEGATIVE_INFINITY;
  /** Items finished since the last completion write, recorded together in one statement. */
  private completions: Array<{ id: number; done: (recorded: boolean) => void; failed: (error: unknown) => void }> = [];

  constructor(options: WorkerOptions) {
    this.queue = options.queue;
    this.registry = options.registry ?? new WorkRegistry();
    this.logger = options.logger;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 8);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.now = options.now ?? (() => new Date());
    this.busy = options.busy ?? (() => false);
    this.requestsArriving = options.requestsArriving ?? (() => false);
    this.maxLagMs = options.maxLagMs ?? Number.POSITIVE_INFINITY;
  }

  /** Adds the handler for one kind of work (every replica registers the same kinds). */
  register(kind: string, handler: WorkHandler, options: KindOptions = {}): this {
    this.registry.register(kind, handler, options);
    return this;
  }

  /** Items this process is running now. */
  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  /**
   * Room for one item of `kind` now, within maxInFlight, or undefined (full, busy, stopping, or
   * no handler for it): the item then goes to the database unleased and waits for a claim.
   */
  reserve(kind: string): WorkReservation | undefined {
    // Behind a backlog, new work queues up in the database too, so what waited longest runs first.
    if (this.stopping || !this.loop || this.backlog || !this.registry.get(kind)) return undefined;
    if (this.room() < 1) return undefined;
    // Requests first (busy()): the item waits in the database for the slow claims instead.
    if (this.givesWay()) return undefined;
    this.reserved += 1;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.reserved -= 1;
      return true;
    };
    return {
      lease: { owner: this.owner, until: new Date(this.now().getTime() + this.leaseMs) },
      adopt: (item) => {
        if (settled) return;
        // Started on the next turn: whoever handed it over (an ack) answers first.
        setImmediate(() => {
          if (!settle()) return;
          if (this.stopping) {
            // Not started here. Given back now, so another replica need not wait out the lease.
            this.queue.release(this.owner, [item.id]).catch(() => undefined);
            return;
          }
          this.claims += 1;
          this.execute(item);
        });
      },
      cancel: () => {
        settle();
      },
    };
  }

  /** New work was enqueued (by this process): look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Resolves true once nothing is running here and no due work waits unclaimed, false after
   * `timeoutMs`. Tests and shutdown use it; work due later (a retry backing off) does not count.
   */
  async idle(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const generation = this.claims;
      const busy = () => this.claiming || this.running.size > 0 || this.finishing.size > 0 || this.reserved > 0;
      if (!busy()) {
        // A database that does not answer has nothing this worker could claim either.
        const due = await this.queue.claimableCount(this.registry.names, this.now()).catch(() => 0);
        // A claim (or a handed-over item) meanwhile may have leased what the count no longer sees.
        if (due === 0 && !busy() && generation === this.claims) return true;
      }
      this.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  /** Stops claiming, waits up to `timeoutMs` for running items; true if all finished. */
  async stop(timeoutMs = 25_000): Promise<boolean> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
    const finished = await Promise.race([
      Promise.all(this.running.values())
        .then(() => Promise.all(this.finishing.values()))
        .then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (!finished) {
      this.logger.warn('work queue stopped with items still running; their leases will expire and another replica resumes them', {
        running: this.running.size,
      });
    }
    return finished;
  }

  private async run(): Promise<void> {
    let polled = false;
    while (!this.stopping) {
      let capacity = this.room();
      // Behind a backlog, claims wait for room for half the bound (or a whole poll interval), so
      // one claim leases several items instead of one claim per finished item.
      const roomToClaim = this.backlog && this.running.size > 0 && !polled ? Math.ceil(this.bound() / 2) : 1;
      if (capacity < roomToClaim) {
        this.backlog = true;
        polled = !(await this.pause(this.pollIntervalMs));
        continue;
      }
      polled = false;
      if (this.givesWay()) {
        // Requests first: one item at a time, a few a second, until the process has room again.
        await this.sleep(Math.min(this.pollIntervalMs, 250));
        if (this.stopping) break;
        if (this.givesWay()) capacity = 1;
      }
      this.woken = false;
      let claimed: WorkItem[] = [];
      this.claiming = true;
      this.claims += 1;
      try {
        claimed = await this.queue.claim({
          owner: this.owner,
          kinds: this.registry.names,
          limit: capacity,
          now: this.now(),
          leaseMs: this.leaseMs,
        });
      } catch (error) {
        this.logger.warn('could not claim work from the database; trying again', { error: errorText(error) });
        this.claiming = false;
        await this.pause(this.pollIntervalMs);
        continue;
      }
      for (const item of claimed) this.execute(item);
      this.backlog = claimed.length >= capacity;
      this.claiming = false;
      if (claimed.length < capacity && !this.woken) await this.pause(this.pollIntervalMs);
    }
  }

  /**
   * Rooms free now: the bound (an eighth of it while requests arrive) less the items running or
   * handed over, and none while too many completions wait.
   */
  private room(): number {
    if (this.finishing.size >= this.maxInFlight * FINISHING_PER_ROOM) return 0;
    return this.bound() - this.running.size - this.reserved;
  }

  private bound(): number {
    if (this.behind) return this.maxInFlight;
    return this.requestsArriving() ? Math.max(1, Math.floor(this.maxInFlight / 8)) : this.maxInFlight;
  }

  /** Requests come first now, unless stored work has waited too long for them. */
  private givesWay(): boolean {
    return !this.behind && this.busy();
  }

  /** Waits `ms` whatever wakes the worker meanwhile (only stopping cuts it short). */
  private async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopping && Date.now() < until) await this.pause(until - Date.now());
  }

  /** Waits for a wake-up, a finished item or the poll interval, whichever comes first; true when woken. */
  private pause(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      function done(woken: boolean) {
        clearTimeout(timer);
        resolve(woken);
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done(true);
      };
    });
  }

  private execute(item: WorkItem): void {
    const kind = this.registry.get(item.kind);
    const started = Date.now();
    this.behind = this.now().getTime() - item.nextAttemptAt.getTime() > this.maxLagMs;
    workMetrics().inFlight.inc({ kind: item.kind });
    const work = (async () => {
      try {
        if (!kind) throw new PermanentWorkError(`no handler for work of kind ${item.kind}`);
        await kind.handler(item.payload, item);
      } catch (error) {
        await this.recordFailure(item, kind, error);
        return;
      }
      this.finish(item, started);
    })()
      .catch((error: unknown) => {
        // The database refused the bookkeeping itself: the lease runs out and the item is tried again.
        this.logger.error('could not record the outcome of a work item', { workId: item.id, kind: item.kind, error: errorText(error) });
      })
      .finally(() => {
        workMetrics().inFlight.dec({ kind: item.kind });
        this.running.delete(item.id);
        // Only when work may be waiting for this room: otherwise every finished item would cost
        // an empty claim (new work wakes the worker itself, and the poll finds the rest).
        if (this.backlog) this.wakeUp?.();
      });
    this.running.set(item.id, work);
  }

  /** The handler is done: the item is marked done with the others finishing now, outside its room. */
  private finish(item: WorkItem, started: number): void {
    const recording = this.complete(item.id)
      .then(
        (recorded) => {
          if (!recorded)
            this.logger.warn('finished a work item whose lease another replica had taken over', { workId: item.id, kind: item.kind });
          workMetrics().completed.inc({ kind: item.kind });
          this.logger.debug('work item done', {
            workId: item.id,
            kind: item.kind,
            attempt: item.attempts,
            durationMs: Date.now() - started,
          });
        },
        (error: unknown) => {
          // Not recorded: the lease runs out and the item is run again (its effects are idempotent by key).
          this.logger.error('could not record the outcome of a work item', { workId: item.id, kind: item.kind, error: errorText(error) });
        },
      )
      .finally(() => {
        this.finishing.delete(item.id);
        // The next item of its ordering key becomes claimable only now; a claim held back by
        // waiting completions may go on.
        if (item.orderingKey !== null || this.backlog) this.wakeUp?.();
      });
    this.finishing.set(item.id, recording);
  }

  /**
   * Records the item done; items finishing in the same turn of the event loop are written in
   * one statement. False if `owner` had lost its lease (another replica took it over).
   */
  private complete(id: number): Promise<boolean> {
    return new Promise((done, failed) => {
      if (this.completions.push({ id, done, failed }) > 1) return;
      // Under load, at most one completion write per interval: the items finishing meanwhile share it.
      const wait = this.lastCompletionAt + COMPLETION_INTERVAL_MS - performance.now();
      if (wait > 0) setTimeout(() => void this.flushCompletions(), wait);
      else setImmediate(() => void this.flushCompletions());
    });
  }

  private async flushCompletions(): Promise<void> {
    this.lastCompletionAt = performance.now();
    const batch = this.completions;
    this.completions = [];
    try {
      const recorded = new Set(
        await this.queue.completeMany(
          batch.map((entry) => entry.id),
          this.owner,
          this.now(),
        ),
      );
      for (const entry of batch) entry.done(recorded.has(entry.id));
    } catch (error) {
      for (const entry of batch) entry.failed(error);
    }
  }

  private async recordFailure(item: WorkItem, kind: RegisteredKind | undefined, error: unknown): Promise<void> {
    const message = errorText(error);
    const permanent = error instanceof PermanentWorkError;
    const maxAttempts = kind?.maxAttempts ?? 1;
    if (permanent || item.attempts >= maxAttempts) {
      const recorded = await this.queue.fail(item.id, this.owner, this.now(), message);
      workMetrics().failed.inc({ kind: item.kind });
      this.logger.error('work item failed for good', {
        workId: item.id,
        kind: item.kind,
        attempts: item.attempts,
        error: message,
        // A permanent error is an expected outcome with a message that says it all; a stack says nothing more.
        stack: error instanceof Error && !permanent ? error.stack : undefined,
      });
      if (recorded && kind?.onFailure) {
        await kind.onFailure(item, error).catch((hookError: unknown) => {
          this.logger.warn('the failure hook of a work item failed', { workId: item.id, kind: item.kind, error: errorText(hookError) });
        });
      }
      return;
    }
    const delay =
      error instanceof RetryWorkError
        ? Math.max(0, error.retryInMs)
        : retryDelayMs(item.attempts, kind?.retryBaseMs ?? 1_000, kind?.retryMaxMs ?? 300_000);
    await this.queue.retryLater(item.id, this.owner, new Date(this.now().getTime() + delay), message);
    // A retry due before the next poll would otherwise wait for it.
    if (delay < this.pollIntervalMs) setTimeout(() => this.wake(), delay).unref();
    workMetrics().retried.inc({ kind: item.kind });
    this.logger.warn('work item failed; it will be retried', {
      workId: item.id,
      kind: item.kind,
      attempt: item.attempts,
      retryInMs: delay,
      error: message,
    });
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.running.keys(), ...this.finishing.keys()];
    if (ids.length === 0) return;
    try {
      const held = new Set(await this.queue.renewLeases(this.owner, ids, new Date(this.now().getTime() + this.leaseMs)));
      const lost = ids.filter((id) => !held.has(id) && (this.running.has(id) || this.finishing.has(id)));
      if (lost.length > 0) this.logger.warn('lost the lease of running work items', { workIds: lost });
    } catch (error) {
      this.logger.warn('could not renew work leases', { error: errorText(error) });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
