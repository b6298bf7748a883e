import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Store } from '../../store';
import { MIGRATION_NAMES } from '../../store/database';
import { postgresSchema, postgresUrl } from '../support/database';
import { exitWithin, spawnChild } from '../support/processes';

/** `npm run migrate` and `npm run backup -- FILE`, run as an admin runs them. */
const ROOT = resolve(__dirname, '../..');

async function npmRun(args: string[], env: Record<string, string>) {
  const child = spawnChild('npm', ['run', '--silent', ...args], ROOT, env);
  // A stale dist/ is compiled first (the pre-script), which can take a while on a busy machine.
  const exit = await exitWithin(child, 100_000);
  return { code: exit.code, stdout: child.stdout(), stderr: child.stderr() };
}

describe('maintenance commands', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dispatch-maintenance-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  test('npm run migrate applies the migrations without starting the app (no Slack settings needed), then says it is up to date', async () => {
    const url = `sqlite:${join(folder, 'dispatch.db')}`;
    const first = await npmRun(['migrate'], { DATABASE_URL: url });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`applied ${MIGRATION_NAMES.length} migration`);
    const tables = new SqliteDatabase(join(folder, 'dispatch.db'), { readonly: true })
      .prepare("select name from sqlite_master where type = 'table'")
      .all() as Array<{ name: string }>;
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['incidents', 'processed_events']));
    const second = await npmRun(['migrate'], { DATABASE_URL: url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('is up to date');
  }, 120_000);

  test('npm run migrate with a bad DATABASE_URL names the setting and exits 1', async () => {
    const run = await npmRun(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL is not valid/);
  }, 120_000);

  (postgresUrl ? test : test.skip)(
    'npm run migrate on PostgreSQL',
    async () => {
      const database = await postgresSchema();
      try {
        const run = await npmRun(['migrate'], { DATABASE_URL: database.url });
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/applied \d+ migrations? to PostgreSQL/);
      } finally {
        await database.drop();
      }
    },
    120_000,
  );

  test('npm run backup -- FILE copies the SQLite database while it is open and being written', async () => {
    const path = join(folder, 'dispatch.db');
    const store = await Store.open(`sqlite:${path}`);
    try {
      // Writes that sit in the WAL, not yet checkpointed into the main file, must be in the copy.
      for (let index = 0; index < 50; index += 1) await store.processedEvents.claim(`Ev0BACKUP${index}`, new Date());
      const target = join(folder, 'backup.db');
      const run = await npmRun(['backup', '--', target], { DATABASE_URL: `sqlite:${path}` });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^backed up \d+ pages \(\d+ bytes\) to .*backup\.db\n$/);
      const copy = new SqliteDatabase(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.prepare('select count(*) as n from processed_events').get()).toEqual({ n: 50 });
      } finally {
        copy.close();
      }
      // The app's own connection is unaffected.
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);

  test('npm run backup on PostgreSQL explains pg_dump instead, and without FILE prints its usage', async () => {
    const postgres = await npmRun(['backup', '--', join(folder, 'x.dump')], {
      DATABASE_URL: 'postgres://dispatch@127.0.0.1:5432/dispatch',
    });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain('pg_dump --format=custom');
    const usage = await npmRun(['backup'], { DATABASE_URL: `sqlite:${join(folder, 'x.db')}` });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('usage: npm run backup -- FILE');
  }, 120_000);
});
