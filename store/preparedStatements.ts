import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult, SqliteDatabase, SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { isBeforeAck } from './ackPhase';

/**
 * Prepared statements, cached per connection, under every repository at once.
 *
 * Kysely's SQLite driver calls `prepare` for every query it runs, and compiling a statement
 * costs more than running most of ours; its PostgreSQL driver sends every query unnamed, so
 * the server parses and plans it each time. The queries the app runs come from a small, fixed
 * set of builders, so the same SQL text recurs: each connection keeps the statement it made
 * for a text and reuses it. Bounded, so SQL that varies (an IN list of any length) cannot grow
 * the cache without limit.
 */
export const STATEMENTS_PER_CONNECTION = 500;

/** Where a database stood at a moment: equal stamps mean nothing was written in between. */
export interface ChangeStamp {
  readonly own: number;
  readonly others: number;
}

/**
 * A database that can tell, cheaply and without reading a table, whether anything at all was
 * written since an earlier moment, by this process or any other. SQLite can (store/database.ts);
 * PostgreSQL cannot without a round trip, which is what a cached read would save.
 */
export interface DatabaseChanges {
  stamp(): ChangeStamp;
}

export const sameStamp = (a: ChangeStamp, b: ChangeStamp) => a.own === b.own && a.others === b.others;

/** What the cache did so far (tests and benchmarks read it). */
export interface StatementCacheStats {
  prepared: number;
  reused: number;
}

/**
 * A better-sqlite3 database as Kysely's SqliteDialect sees it, whose `prepare` answers a text
 * it has seen with the statement it made for it. better-sqlite3 re-prepares a statement by
 * itself when the schema changes under it, so a cached one never runs against a stale schema.
 */
export class StatementCachingSqlite implements SqliteDatabase, DatabaseChanges {
  readonly stats: StatementCacheStats = { prepared: 0, reused: 0 };
  private readonly statements = new LRUCache<string, BetterSqlite3.Statement>({ max: STATEMENTS_PER_CONNECTION });
  /** Statements run on this connection that may write (Kysely's driver prepares once per run). */
  private writes = 0;
  private dataVersion: BetterSqlite3.Statement | undefined;

  constructor(readonly connection: BetterSqlite3.Database) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.stats.reused += 1;
    } else {
      statement = this.connection.prepare(sql);
      this.stats.prepared += 1;
      this.statements.set(sql, statement);
    }
    // Counted before it runs (Kysely runs it at once, in the same turn): anything read after
    // this point may see its change, so a stamp taken before it is already out of date.
    if (!statement.reader) this.writes += 1;
    return statement;
  }

  /**
   * Changes on this connection (every statement that may write, a transaction's begin and end
   * included, rolled back or not) and SQLite's data_version, which moves whenever another
   * connection to the file (a second process, a CLI script) commits.
   */
  stamp(): ChangeStamp {
    this.dataVersion ??= this.connection.prepare('pragma data_version').pluck();
    return { own: this.writes, others: this.dataVersion.get() as number };
  }

  close(): void {
    this.statements.clear();
    this.connection.close();
  }
}

/** Transaction control and session commands cannot be prepared usefully; everything else can. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** A statement's name on the server: derived from its text, so every connection names it alike. */
function statementName(sql: string): string {
  return `k_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
}

/** pg types `command` as any string; Kysely reads the same field as the verbs it knows. */
function toKyselyResult<R extends QueryResultRow>(result: QueryResult<R>): PostgresQueryResult<R> {
  return { command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows };
}

/**
 * pg's client prepares a query once per connection when it has a name and then only binds and
 * executes it; this pool gives Kysely clients that name every preparable query by its text.
 * Each connection names at most STATEMENTS_PER_CONNECTION texts (pg keeps what it prepared for
 * the connection's lifetime); past that, queries go unnamed as before.
 */
export class PreparingPostgresPool implements PostgresPool {
  readonly stats: StatementCacheStats = { prepared: 0, reused: 0 };
  private readonly named = new WeakMap<PoolClient, Set<string>>();

  /** `ackLane`: the pool for queries started before a request's ack (store/ackPhase.ts). */
  constructor(
    readonly pool: Pool,
    readonly ackLane?: Pool,
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    const source = this.ackLane && isBeforeAck() ? this.ackLane : this.pool;
    const client = await source.connect();
    let names = this.named.get(client);
    if (!names) {
      names = new Set();
      this.named.set(client, names);
    }
    const known = names;
    const query = <R extends QueryResultRow>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
      const values = [...parameters];
      if (!PREPARABLE.test(sql)) return client.query<R>(sql, values).then(toKyselyResult);
      const name = statementName(sql);
      if (known.has(name)) this.stats.reused += 1;
      else if (known.size < STATEMENTS_PER_CONNECTION) {
        known.add(name);
        this.stats.prepared += 1;
      } else {
        return client.query<R>(sql, values).then(toKyselyResult);
      }
      return client.query<R>({ name, text: sql, values }).then(toKyselyResult);
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: () => client.release(),
    };
  }

  async end(): Promise<void> {
    await Promise.all([this.pool.end(), this.ackLane?.end()]);
  }
}
