import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import { postgresPool } from './postgresPool';

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
