import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect';

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();
const incidentRef = (column: ColumnDefinitionBuilder) => column.notNull().references('incidents.id').onDelete('cascade');

/**
 * After the fire: follow-ups (a task kind: a task row plus its owner and due date), their daily
 * reminders (claimed once per task and day), and the feedback form (asked once per person and
 * incident, answered once).
 */
export function afterfireMigration(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('follow_ups')
        .addColumn('task_id', 'integer', (column) => column.primaryKey().references('tasks.id').onDelete('cascade'))
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('owner_id', 'text', notNull)
        .addColumn('due_on', 'text')
        .addColumn('created_at', 'text', notNull)
        .execute();
      await db.schema.createIndex('follow_ups_owner_idx').on('follow_ups').column('owner_id').execute();
      await db.schema.createIndex('follow_ups_incident_idx').on('follow_ups').column('incident_id').execute();

      await db.schema
        .createTable('follow_up_reminders')
        .addColumn('task_id', 'integer', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        // The UTC day (YYYY-MM-DD) the reminder is for: one per follow-up and day.
        .addColumn('day', 'text', notNull)
        .addColumn('sent_at', 'text', notNull)
        .addPrimaryKeyConstraint('follow_up_reminders_pk', ['task_id', 'day'])
        .execute();

      await db.schema
        .createTable('feedback_requests')
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('user_id', 'text', notNull)
        .addColumn('requested_at', 'text', notNull)
        .addPrimaryKeyConstraint('feedback_requests_pk', ['incident_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('feedback')
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('user_id', 'text', notNull)
        .addColumn('rating', 'integer', notNull)
        .addColumn('went_well', 'text', notNull)
        .addColumn('to_improve', 'text', notNull)
        .addColumn('anonymous', 'integer', notNull)
        .addColumn('submitted_at', 'text', notNull)
        .addPrimaryKeyConstraint('feedback_pk', ['incident_id', 'user_id'])
        .execute();
      // Metrics read incidents by report time.
      await sql`create index if not exists incidents_reported_at_idx on incidents (reported_at)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('feedback').execute();
      await db.schema.dropTable('feedback_requests').execute();
      await db.schema.dropTable('follow_up_reminders').execute();
      await db.schema.dropTable('follow_ups').execute();
      await sql`drop index if exists incidents_reported_at_idx`.execute(db);
    },
  };
}
