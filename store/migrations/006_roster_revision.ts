import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect';

/** The tables whose rows make up an incident's roster: who takes part, since when, how active, in which roles. */
const ROSTER_TABLES = ['participants', 'participant_roles'] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;

/** Counters per incident on PostgreSQL; a power of two (the shard is a hash's low bits). */
export const ROSTER_SHARDS = 16;

/**
 * An incident's roster revision: the sum of its counters in roster_revisions, which triggers on
 * participants and participant_roles advance on every insert, update and delete. Triggers, so
 * every writer advances it: this app on any replica, the CLI scripts, a person with a shell. A
 * reader (the incident lookup) can then tell whether the roster it saw before is still the one.
 *
 * Why counters that only grow and a sum: a reader's snapshot holds every change committed before
 * it, so a later snapshot's sum is greater by at least one per change committed in between; the
 * same sum means the same roster. (The largest of per-row values from a sequence would not do:
 * transactions commit out of order, so a reader could see a later value before an earlier one's
 * row and never notice that row arrive.)
 *
 * Why several counters per incident: a counter is a row, and a transaction that advances it holds
 * its lock until it commits. One row per incident would make every message counted in a busy
 * incident wait for the one before it to commit (on PostgreSQL the message effects of one
 * incident fell to less than half their rate in a measurement). So PostgreSQL advances one of 16
 * counters picked by the person's id: two writers wait for each other only when they touch the
 * same person or land on the same counter. SQLite has one writer at a time anyway: one counter.
 */
export function rosterRevisionMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // No foreign key: a counter outlives nothing it describes (incident ids are never reused),
      // and a cascade deleting an incident's participants must be able to advance it.
      await db.schema
        .createTable('roster_revisions')
        .addColumn('incident_id', 'integer', (column) => column.notNull())
        .addColumn('shard', 'integer', (column) => column.notNull())
        .addColumn('revision', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('roster_revisions_pk', ['incident_id', 'shard'])
        .execute();
      if (dialect === 'postgres') {
        await sql`
          create function advance_roster_revision() returns trigger language plpgsql as $$
          declare
            changed record;
          begin
            if tg_op = 'DELETE' then changed := old; else changed := new; end if;
            insert into roster_revisions (incident_id, shard, revision)
              values (changed.incident_id, hashtext(changed.user_id) & ${sql.lit(ROSTER_SHARDS - 1)}, 1)
              on conflict (incident_id, shard) do update set revision = roster_revisions.revision + 1;
            return null;
          end $$`.execute(db);
        for (const table of ROSTER_TABLES) {
          await sql`
            create trigger ${sql.raw(`${table}_roster_revision`)}
              after insert or update or delete on ${sql.table(table)}
              for each row execute function advance_roster_revision()`.execute(db);
        }
        return;
      }
      for (const table of ROSTER_TABLES) {
        for (const event of EVENTS) {
          const row = sql.raw(event === 'delete' ? 'old' : 'new');
          await sql`
            create trigger ${sql.raw(`${table}_roster_revision_${event}`)}
              after ${sql.raw(event)} on ${sql.table(table)}
              begin
                insert into roster_revisions (incident_id, shard, revision) values (${row}.incident_id, 0, 1)
                  on conflict (incident_id, shard) do update set revision = revision + 1;
              end`.execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        for (const table of ROSTER_TABLES)
          await sql`drop trigger if exists ${sql.raw(`${table}_roster_revision`)} on ${sql.table(table)}`.execute(db);
        await sql`drop function if exists advance_roster_revision()`.execute(db);
      } else {
        for (const table of ROSTER_TABLES) {
          for (const event of EVENTS) await sql`drop trigger if exists ${sql.raw(`${table}_roster_revision_${event}`)}`.execute(db);
        }
      }
      await db.schema.dropTable('roster_revisions').execute();
    },
  };
}
