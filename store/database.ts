import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { openAckLanePool } from './ackPhase';
import type { DialectName } from './dialect';
import { reportingConflicts } from './errors';
import { initialMigration } from './migrations/001_initial';
import { workQueueMigration } from './migrations/002_receiver_work_queue';
import { afterfireMigration } from './migrations/003_afterfire';
import { followsMigration } from './migrations/003_messages_follows';
import { submissionsMigration } from './migrations/004_races_submissions';
import { scaleIndexesMigration } from './migrations/005_scale_indexes';
import { rosterRevisionMigration } from './migrations/006_roster_revision';
import { postgresPool } from './postgresPool';
import { type DatabaseChanges, PreparingPostgresPool, StatementCachingSqlite } from './preparedStatements';
import type { Database } from './schema';

export type { DialectName };

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Whether anything was written since a moment, where the engine can tell cheaply (SQLite). */
  changes?: DatabaseChanges;
}

/** Opens DATABASE_URL: sqlite:PATH (folder created, WAL), sqlite::memory: or postgres://... */
export function openDatabase(url: string): OpenedDatabase {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const connections = postgresPool({ connectionString: url, max: 10 });
    // An idle connection dropped by the server emits 'error' on the pool; unheard, it would end
    // the process. The next query simply opens a new connection.
    connections.on('error', () => undefined);
    // Queries a request runs before its ack have connections of their own (store/ackPhase.ts).
    const pool = new PreparingPostgresPool(connections, openAckLanePool(url));
    return { db: new Kysely<Database>({ dialect: reportingConflicts(new PostgresDialect({ pool })) }), dialect: 'postgres' };
  }
  if (!url.startsWith('sqlite:')) throw new Error('DATABASE_URL must start with sqlite: or postgres://');
  const location = url.slice('sqlite:'.length);
  const inMemory = location === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(location)), { recursive: true });
  const connection = new SqliteDatabase(inMemory ? ':memory:' : location, { timeout: 5000 });
  if (!inMemory) connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('synchronous = NORMAL');
  const statements = new StatementCachingSqlite(connection);
  return {
    // Every transaction here writes (a unit of work), so it takes the write lock when it begins:
    // a deferred "begin" that reads first cannot upgrade once another connection to the file
    // (a second replica, a CLI) has committed since, and fails at once with "database is
    // locked" instead of waiting its busy timeout. An immediate one waits its turn.
    db: new Kysely<Database>({
      dialect: reportingConflicts(new SqliteDialect({ database: statements }), 'begin immediate'),
    }),
    dialect: 'sqlite',
    changes: statements,
  };
}

/**
 * SQLite errors that mean another connection is migrating the same file right now: it holds the
 * write lock (busy), or it committed the same migration after this one read the state ("already
 * exists"). Either way this attempt was rolled back and the next one sees the other's result.
 */
function isConcurrentMigrationError(error: unknown): boolean {
  // Read by shape, not instanceof: better-sqlite3's native addon is loaded once per process, so its
  // errors may come from another realm's Error class (as in jest, one sandbox per test file).
  if (typeof error !== 'object' || error === null) return false;
  const { message, code } = error as { message?: unknown; code?: unknown };
  const text = `${String(message ?? '')} ${String(code ?? '')}`;
  return /SQLITE_BUSY|database is locked/i.test(text) || (/SQLITE_ERROR/.test(text) && /already exists/i.test(text));
}

/** Every migration by name; Kysely applies them in name order. Add one line per new migration. */
function migrationsFor(dialect: DialectName) {
  return {
    '001_initial': initialMigration(dialect),
    '002_receiver_work_queue': workQueueMigration(dialect),
    '003_messages_follows': followsMigration(),
    '003_afterfire': afterfireMigration(dialect),
    '004_races_submissions': submissionsMigration(),
    '005_scale_indexes': scaleIndexesMigration(),
    '006_roster_revision': rosterRevisionMigration(dialect),
  };
}

/** The names of all migrations, as the database records them once applied. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrationsFor('sqlite')).sort();

/**
 * Brings the schema up to date. PostgreSQL replicas serialise on Kysely's advisory lock; two
 * connections to one SQLite file can collide instead (SQLITE_BUSY, or "already exists" when the
 * other one committed first), so that case waits and retries (the migrator then skips what the
 * other connection already applied).
 */
export async function migrateToLatest(opened: OpenedDatabase): Promise<string[]> {
  const migrator = new Migrator({
    db: opened.db,
    provider: { getMigrations: async () => migrationsFor(opened.dialect) },
    // Migrations are added by parallel branches; one that sorts before an applied one still runs.
    allowUnorderedMigrations: true,
    // Kysely looks for its bookkeeping tables in every schema unless told which one; another
    // schema in the same database (another app, another test) would make it skip creating them.
    migrationTableSchema: opened.dialect === 'postgres' ? await currentSchema(opened.db) : undefined,
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
    if (!isConcurrentMigrationError(error) || attempt >= 20) throw error;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 50 * attempt));
  }
}

/** The schema unqualified tables are created in (the first existing one on the search_path). */
async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

/** True when the database answers a trivial query. */
export async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
