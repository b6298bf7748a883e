import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import { ConflictError } from '../incidents/ports';

/**
 * True when the database refused a write because a unique index already holds the value, in
 * either dialect (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The engine's unique violation as the domain's ConflictError (the original kept as its cause); anything else unchanged. */
export function asConflict(error: unknown): unknown {
  if (!isUniqueViolation(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ConflictError(`a uniqueness rule refused the write (${detail})`, { cause: error });
}

/** A connection whose queries reject with ConflictError where the engine reports a unique violation. */
class ConflictReportingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(compiledQuery: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(compiledQuery);
    } catch (error) {
      throw asConflict(error);
    }
  }

  streamQuery<R>(
    compiledQuery: Parameters<DatabaseConnection['streamQuery']>[0],
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof ConflictReportingConnection ? connection.inner : connection;

/** The dialect's driver, with every connection wrapped so that no engine error code leaves the store. */
class ConflictReportingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly beginStatement?: string,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ConflictReportingConnection(await this.inner.acquireConnection());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.beginStatement) await innerOf(connection).executeQuery(CompiledQuery.raw(this.beginStatement));
    else await this.inner.beginTransaction(innerOf(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(innerOf(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(innerOf(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Wraps a Kysely dialect so its queries report unique violations as ConflictError.
 * `beginStatement` replaces the dialect's own "begin" (SQLite: "begin immediate", see database.ts).
 */
export function reportingConflicts(dialect: Dialect, beginStatement?: string): Dialect {
  return {
    createDriver: () => new ConflictReportingDriver(dialect.createDriver(), beginStatement),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
