import type { Pool, PoolConfig } from 'pg';

/**
 * A pg connection pool, with pg loaded on first use: an app on SQLite (the default) never
 * needs the driver, and loading it is part of every start.
 */
export function postgresPool(config: PoolConfig): Pool {
  const pg = require('pg') as typeof import('pg');
  return new pg.Pool(config);
}
