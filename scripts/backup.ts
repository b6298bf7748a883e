import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { loadDatabaseUrl, loadDotEnv, SettingsError } from '../config';

/**
 * Copies the SQLite database to FILE while the app keeps running: SQLite's online backup
 * (through better-sqlite3) copies a consistent snapshot, page by page, without stopping writers.
 *
 *   npm run backup -- backups/dispatch-2026-01-31.db
 *
 * PostgreSQL has its own tools for this; the command says which and exits 1.
 */
const USAGE = 'usage: npm run backup -- FILE   (copies the SQLite database of DATABASE_URL to FILE, online)';

export const POSTGRES_ADVICE =
  'DATABASE_URL is PostgreSQL: back it up with its own tools, e.g.\n' +
  '  pg_dump --format=custom --file=dispatch.dump "$DATABASE_URL"      (restore: pg_restore --clean --dbname="$DATABASE_URL" dispatch.dump)\n' +
  'or your provider\'s snapshots / point-in-time recovery. See README.md, "Backups".';

export async function backup(url: string, target: string): Promise<{ bytes: number; pages: number }> {
  if (url.startsWith('postgres')) throw new UsageError(POSTGRES_ADVICE);
  const location = url.slice('sqlite:'.length);
  if (location === ':memory:') throw new UsageError('DATABASE_URL is sqlite::memory:, which keeps nothing to back up.');
  if (!existsSync(location)) throw new UsageError(`There is no database at ${location} (DATABASE_URL) yet.`);
  if (existsSync(target) && realpathSync(target) === realpathSync(location)) throw new UsageError('FILE is the database itself.');
  const source = new SqliteDatabase(location, { fileMustExist: true, timeout: 5000 });
  try {
    const { totalPages } = await source.backup(resolve(target));
    return { bytes: statSync(target).size, pages: totalPages };
  } finally {
    source.close();
  }
}

export class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [target, ...rest] = argv;
  if (!target || rest.length > 0 || target.startsWith('-')) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  loadDotEnv();
  try {
    const { bytes, pages } = await backup(loadDatabaseUrl(), target);
    process.stdout.write(`backed up ${pages} pages (${bytes} bytes) to ${target}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SettingsError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
