import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect';

type Table = CreateTableBuilder<string, never>;

/** An auto-numbered primary key in either dialect. */
function withId(table: Table, dialect: DialectName): Table {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (column) => column.primaryKey())
    : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());
}

const notNull = (column: ColumnDefinitionBuilder) => column.notNull();
const incidentRef = (column: ColumnDefinitionBuilder) => column.notNull().references('incidents.id').onDelete('cascade');

/** The whole domain of DESIGN.md in one first migration. */
export function initialMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('incidents'), dialect)
        .addColumn('name', 'text', (column) => column.notNull().unique())
        .addColumn('title', 'text', notNull)
        .addColumn('description', 'text', notNull)
        .addColumn('resolution', 'text')
        .addColumn('status', 'text', notNull)
        .addColumn('type', 'text', notNull)
        .addColumn('priority', 'text', notNull)
        .addColumn('visibility', 'text', notNull)
        .addColumn('reporter_id', 'text', notNull)
        .addColumn('channel_id', 'text', (column) => column.unique())
        .addColumn('channel_name', 'text')
        .addColumn('summary_ts', 'text')
        .addColumn('reported_at', 'text', notNull)
        .addColumn('stable_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('updated_at', 'text', notNull)
        .addColumn('reminder_snoozed_until', 'text')
        .execute();
      // The reminder scan looks for active incidents only.
      await db.schema.createIndex('incidents_status_idx').on('incidents').column('status').execute();

      await db.schema
        .createTable('incident_announcements')
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('channel_id', 'text', notNull)
        .addColumn('message_ts', 'text', notNull)
        .addPrimaryKeyConstraint('incident_announcements_pk', ['incident_id', 'channel_id'])
        .execute();

      await db.schema
        .createTable('participants')
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('user_id', 'text', notNull)
        .addColumn('joined_at', 'text', notNull)
        .addColumn('left_at', 'text')
        .addColumn('last_activity_at', 'text')
        .addColumn('message_count', 'integer', (column) => column.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('participants_pk', ['incident_id', 'user_id'])
        .execute();

      await withId(db.schema.createTable('participant_roles'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('user_id', 'text', notNull)
        .addColumn('role', 'text', notNull)
        .addColumn('assigned_at', 'text', notNull)
        .addColumn('assigned_by', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('participant_roles_current_idx')
        .on('participant_roles')
        .columns(['incident_id', 'user_id', 'role'])
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();
      // Exactly one Incident Commander at a time, enforced by the database on every replica.
      await db.schema
        .createIndex('participant_roles_one_commander_idx')
        .on('participant_roles')
        .column('incident_id')
        .unique()
        .where((eb) => eb.and([eb(sql.ref('role'), '=', sql.lit('commander')), eb(sql.ref('revoked_at'), 'is', null)]))
        .execute();

      await withId(db.schema.createTable('tasks'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('description', 'text', notNull)
        .addColumn('creator_id', 'text', notNull)
        .addColumn('status', 'text', notNull)
        .addColumn('created_at', 'text', notNull)
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('source_url', 'text')
        .execute();
      await db.schema.createIndex('tasks_incident_idx').on('tasks').columns(['incident_id', 'status']).execute();

      await db.schema
        .createTable('task_assignees')
        .addColumn('task_id', 'integer', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('user_id', 'text', notNull)
        .addPrimaryKeyConstraint('task_assignees_pk', ['task_id', 'user_id'])
        .execute();

      await withId(db.schema.createTable('resources'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('kind', 'text', notNull)
        .addColumn('title', 'text', notNull)
        .addColumn('url', 'text', notNull)
        .addColumn('added_by', 'text')
        .addColumn('created_at', 'text', notNull)
        .execute();
      await db.schema.createIndex('resources_incident_idx').on('resources').column('incident_id').execute();

      await withId(db.schema.createTable('status_reports'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('conditions', 'text', notNull)
        .addColumn('actions', 'text', notNull)
        .addColumn('needs', 'text', notNull)
        .addColumn('author_id', 'text', notNull)
        .addColumn('created_at', 'text', notNull)
        .addColumn('message_ts', 'text')
        .execute();
      await db.schema.createIndex('status_reports_incident_idx').on('status_reports').columns(['incident_id', 'created_at']).execute();

      await withId(db.schema.createTable('timeline_events'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('occurred_at', 'text', notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('text', 'text', notNull)
        .addColumn('actor_id', 'text')
        .addColumn('source', 'text', notNull)
        .addColumn('dedupe_key', 'text')
        .addColumn('permalink', 'text')
        .addColumn('created_at', 'text', notNull)
        .addUniqueConstraint('timeline_events_dedupe_uq', ['incident_id', 'dedupe_key'])
        .execute();
      await db.schema.createIndex('timeline_events_incident_idx').on('timeline_events').columns(['incident_id', 'occurred_at']).execute();

      await db.schema
        .createTable('processed_events')
        .addColumn('event_id', 'text', (column) => column.primaryKey())
        .addColumn('received_at', 'text', notNull)
        .execute();
      await db.schema.createIndex('processed_events_received_idx').on('processed_events').column('received_at').execute();

      await db.schema
        .createTable('report_reminders')
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('due_at', 'text', notNull)
        .addColumn('sent_at', 'text', notNull)
        .addPrimaryKeyConstraint('report_reminders_pk', ['incident_id', 'due_at'])
        .execute();

      await withId(db.schema.createTable('oncall_engagements'), dialect)
        .addColumn('incident_id', 'integer', incidentRef)
        .addColumn('service', 'text', notNull)
        .addColumn('user_id', 'text', notNull)
        .addColumn('engaged_by', 'text', notNull)
        .addColumn('paged', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('note', 'text')
        .addColumn('engaged_at', 'text', notNull)
        .execute();
      await db.schema.createIndex('oncall_engagements_incident_idx').on('oncall_engagements').column('incident_id').execute();
    },
  };
}
