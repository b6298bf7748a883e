import { Kysely, PostgresDialect } from 'kysely';
import type { DialectName } from './database';
import { postgresPool } from './postgresPool';
import { PreparingPostgresPool } from './preparedStatements';
import type { Database } from './schema';
import { WorkQueueRepository } from './workQueue';

/** The queue an ack writes to, on connections nothing else uses. */
export interface AckLane {
  queue: WorkQueueRepository;
  close(): Promise<void>;
}

/** The few queries an ack runs must not queue behind background work in the shared pool. */
const ACK_LANE_CONNECTIONS = 8;

/**
 * PostgreSQL: a small pool of its own, with a statement timeout below Slack's 3 s, so an
 * overloaded database makes Slack retry instead of the ack hanging. SQLite has one writer
 * anyway (and an in-memory database exists on one connection only): the lane is the shared db.
 */
export function openAckLane(url: string, dialect: DialectName, shared: Kysely<Database>, statementTimeoutMs = 2_000): AckLane {
  if (dialect !== 'postgres') return { queue: new WorkQueueRepository(shared), close: async () => undefined };
  const pool = postgresPool({
    connectionString: url,
    max: ACK_LANE_CONNECTIONS,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: statementTimeoutMs,
  });
  // An idle client's error (the server restarted) must not end the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Named statements here too: the ack runs the same few queries every time.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PreparingPostgresPool(pool) }) });
  return { queue: new WorkQueueRepository(db), close: () => db.destroy() };
}
