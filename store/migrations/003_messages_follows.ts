import type { Kysely } from 'kysely';

/** Followers: people who get an incident's updates by DM without joining its channel. */
export function followsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('incident_followers')
        .addColumn('incident_id', 'integer', (column) => column.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('followed_at', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('incident_followers_pk', ['incident_id', 'user_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('incident_followers').execute();
    },
  };
}
