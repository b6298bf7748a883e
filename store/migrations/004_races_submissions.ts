import type { Kysely } from 'kysely';

/**
 * Modal submissions already taken in, by a key Slack gives each one (the view's id and hash):
 * the same submission delivered twice, to any replica, is recorded once. Claimed inside the
 * transaction that records what the submission says, so the key and the change land together.
 */
export function submissionsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('submissions')
        .addColumn('submission_key', 'text', (column) => column.primaryKey())
        .addColumn('received_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('submissions_received_idx').on('submissions').column('received_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('submissions').execute();
    },
  };
}
