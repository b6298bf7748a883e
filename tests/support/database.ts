import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database for one test: SQLite in memory, or a fresh PostgreSQL schema when TEST_DATABASE_URL is set. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

export const postgresUrl = process.env.TEST_DATABASE_URL;

export function sqliteMemory(): TestDatabase {
  return { kind: 'sqlite', url: 'sqlite::memory:', drop: async () => undefined };
}

/** A new, empty schema in TEST_DATABASE_URL; the URL puts it first on the search path. */
export async function postgresSchema(baseUrl = postgresUrl): Promise<TestDatabase> {
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      const cleanup = new Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** The databases a store suite runs on: always SQLite, PostgreSQL too when CI provides it. */
export const databaseKinds: Array<'sqlite' | 'postgres'> = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export function testDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  return kind === 'postgres' ? postgresSchema() : Promise.resolve(sqliteMemory());
}
