import { loadDatabaseUrl, loadDotEnv, SettingsError } from '../config';
import { MIGRATION_NAMES, migrateToLatest, openDatabase } from '../store/database';

/**
 * Applies the database migrations without starting the app (the app also applies them at every
 * start): run it before rolling out a new version, so the replicas start on a ready schema.
 *
 *   npm run migrate            (DATABASE_URL from the environment or .env)
 */
async function main(): Promise<number> {
  loadDotEnv();
  let url: string;
  try {
    url = loadDatabaseUrl();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const opened = openDatabase(url);
  try {
    const applied = await migrateToLatest(opened);
    const where = opened.dialect === 'postgres' ? 'PostgreSQL' : `SQLite (${url.slice('sqlite:'.length)})`;
    process.stdout.write(
      applied.length > 0
        ? `applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}: ${applied.join(', ')}\n`
        : `${where} is up to date (${MIGRATION_NAMES.length} migrations: ${MIGRATION_NAMES.join(', ')})\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`migrations failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await opened.db.destroy();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
