import type { Kysely } from 'kysely';

/**
 * Indexes for the reads that grow with the data: 10,000 incidents, incidents of 1,000 people.
 * Each serves a query on a hot path that would otherwise scan a table (see
 * tests/integration/queryPlans.test.ts, which fails on such a scan):
 *
 * - task_assignees (user_id): the Home tab's "your tasks" (the primary key starts with task_id);
 * - incidents (status, id): the newest active or stable incidents, LIMITed, read in index order,
 *   and the Home tab's "incidents you are in" (open ones, each checked by primary key against
 *   the participants and their roles); it replaces incidents (status), which it covers;
 * - incidents (status, closed_at): incidents closed lately (feedback on the Home tab, the
 *   after-close scan) without walking every closed incident.
 */
export function scaleIndexesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('task_assignees_user_idx').on('task_assignees').column('user_id').execute();
      await db.schema.createIndex('incidents_status_id_idx').on('incidents').columns(['status', 'id']).execute();
      await db.schema.dropIndex('incidents_status_idx').ifExists().execute();
      await db.schema.createIndex('incidents_closed_idx').on('incidents').columns(['status', 'closed_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('incidents_closed_idx').ifExists().execute();
      await db.schema.createIndex('incidents_status_idx').ifNotExists().on('incidents').column('status').execute();
      await db.schema.dropIndex('incidents_status_id_idx').ifExists().execute();
      await db.schema.dropIndex('task_assignees_user_idx').ifExists().execute();
    },
  };
}
