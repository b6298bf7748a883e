import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'pg';

/**
 * The ack lane: the queries a Slack request runs before it is acknowledged (the event stored in
 * the inbox, the incident a command or a form is about, the restricted-command check, a form
 * stored before its ack) take connections of their own, so they never queue behind background
 * work (stored events being replayed, posts after an ack) in the shared pool.
 *
 * The receiver marks that part of a request (runBeforeAck); the store's PostgreSQL pool hands
 * out a lane connection to any query started inside it, whichever repository or flow runs it,
 * so no listener has to know. Once the request is acknowledged, the rest of its work goes back
 * to the shared pool. SQLite has one writer anyway: there is no lane.
 */

/** The lane's connections: what the acks of a burst run at once (each holds one for a query or two). */
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

/** The lane's own pool (its connections open when first needed). */
export function openAckLanePool(url: string, statementTimeoutMs = ACK_LANE_STATEMENT_TIMEOUT_MS): Pool {
  const pool = new Pool({
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
