import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the reads that grow with the data: 10,000 incidents, incidents of 1,000 people.
 * Each serves a query on a hot path that would otherwise scan a table (see
 * tests/integration/queryPlans.test.ts, which fails on such a scan):
 *
 * - participants (user_id, incident_id): "is this person in that incident" checks across many
 *   incidents (the Home tab's, the metrics'), which PostgreSQL may run as one hashed lookup of
 *   the person's rows rather than a probe per incident; without it that lookup walks the whole
 *   primary key (incident_id, user_id);
 * - tasks (id) where open: the overdue follow-ups count on the Home tab walks the open tasks
 *   only, not every task ever resolved;
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
      await db.schema.createIndex('participants_user_idx').on('participants').columns(['user_id', 'incident_id']).execute();
      await db.schema.createIndex('tasks_open_idx').on('tasks').column('id').where(sql.ref('status'), '=', sql.lit('open')).execute();
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
      await db.schema.dropIndex('participants_user_idx').ifExists().execute();
      await db.schema.dropIndex('tasks_open_idx').ifExists().execute();
    },
  };
}
