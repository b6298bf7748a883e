import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import { postgresPool } from './postgresPool';
import { StatementGroup, type StatementGroupOptions } from './statementGroup';

/**
 * The ack lane: the queries a Slack request runs before it is acknowledged take connections of
 * their own, so they never queue behind background work (stored events being replayed, posts
 * after an ack) in the shared pool. Two ways in:
 * - the event inbox writes through openAckLane's queue (grouped inserts on a pool of its own,
 *   store/ackLane.ts);
 * - everything else a command, button, form or menu runs before its ack (the incident scope
 *   lookup, restricted-command checks, a form stored before its ack): the receiver marks that
 *   part of the request (runBeforeAck) and the store's PostgreSQL pool hands any query started
 *   inside it a connection of the store's lane pool, whichever repository or flow runs it, so no
 *   listener has to know. Once acknowledged, the rest of the request uses the shared pool.
 * SQLite has one writer anyway: there is no lane.
 */

/**
 * The lane's connections for what commands and interactions read before their ack (a query or
 * two each; the inbox has a lane pool of its own, store/ackLane.ts).
 */
export const ACK_LANE_CONNECTIONS = 8;
/** A lane query that takes longer than this fails, so Slack hears 503 (and retries) instead of nothing. */
export const ACK_LANE_STATEMENT_TIMEOUT_MS = 2_000;

interface AckPhase {
  open: boolean;
}

const phases = new AsyncLocalStorage<AckPhase>();

/**
 * Runs the part of a request that Slack is waiting on. `work` is given `acknowledged`, to call
 * when the answer is sent (or given up on): from then on the request's queries, including those
 * of work it started before, use the shared pool again.
 */
export function runBeforeAck<T>(work: (acknowledged: () => void) => Promise<T>): Promise<T> {
  const phase: AckPhase = { open: true };
  return phases.run(phase, () =>
    work(() => {
      phase.open = false;
    }),
  );
}

/** True inside runBeforeAck until the request was acknowledged. */
export function isBeforeAck(): boolean {
  return phases.getStore()?.open === true;
}

/**
 * A StatementGroup per lane: calls made before their request's ack share statements with each
 * other, on the lane; all other calls share theirs on the shared pool. A grouped statement runs
 * in the async context of the call that scheduled it (setImmediate keeps it), so one group for
 * both would put everyone's query on the first caller's pool: after-ack lookups would take lane
 * connections, and, worse, lookups before an ack would wait behind background work for a shared
 * connection (and, with a bounded concurrency, behind the groups already waiting there). Each
 * group runs its statements in its own phase, whatever happened to the caller that scheduled it
 * (acknowledged since, or never in a request at all).
 */
export class LaneStatementGroup<I, O> {
  private readonly beforeAck: StatementGroup<I, O>;
  private readonly afterAck: StatementGroup<I, O>;

  constructor(runMany: (inputs: readonly I[]) => Promise<O[]>, options: StatementGroupOptions = {}) {
    const lane: AckPhase = { open: true };
    this.beforeAck = new StatementGroup((inputs) => phases.run(lane, () => runMany(inputs)), options);
    this.afterAck = new StatementGroup((inputs) => phases.exit(() => runMany(inputs)), options);
  }

  /** What was run so far, both lanes together and each (tests read it). */
  get stats(): { calls: number; statements: number; beforeAck: { calls: number; statements: number } } {
    const before = this.beforeAck.stats;
    const after = this.afterAck.stats;
    return { calls: before.calls + after.calls, statements: before.statements + after.statements, beforeAck: { ...before } };
  }

  run(input: I): Promise<O> {
    return (isBeforeAck() ? this.beforeAck : this.afterAck).run(input);
  }
}

/** A lane's own pool (its connections open when first needed), with the ack's budget on every statement. */
export function openAckLanePool(url: string, statementTimeoutMs = ACK_LANE_STATEMENT_TIMEOUT_MS): Pool {
  const pool = postgresPool({
    connectionString: url,
    max: ACK_LANE_CONNECTIONS,
    statement_timeout: statementTimeoutMs,
    // Waiting for a lane connection counts against the same budget.
    connectionTimeoutMillis: statementTimeoutMs,
  });
  // An idle client's error (the server restarted) must not end the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
