import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect';

/**
 * The durable work queue (store/workQueue.ts): the inbox of Slack events and every background
 * effect of a recorded change. Times are ISO text like the rest of the schema.
 */
export function workQueueMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const table =
        dialect === 'postgres'
          ? db.schema.createTable('work_items').addColumn('id', 'serial', (column) => column.primaryKey())
          : db.schema.createTable('work_items').addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());
      await table
        .addColumn('kind', 'text', (column) => column.notNull())
        // A Slack event_id, a webhook delivery id, a submission key: the same work is enqueued once.
        .addColumn('dedupe_key', 'text')
        // Items sharing an ordering key (an incident) run one at a time, oldest first.
        .addColumn('ordering_key', 'text')
        .addColumn('payload', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (column) => column.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('finished_at', 'text')
        // NULL keys never collide (both engines), so only keyed work is deduplicated.
        .addUniqueConstraint('work_items_dedupe_uq', ['kind', 'dedupe_key'])
        .execute();
      // The claim scans pending work by due time; the ordering check looks up pending work by key.
      await db.schema
        .createIndex('work_items_pending_idx')
        .on('work_items')
        .columns(['next_attempt_at', 'id'])
        .where(sql.ref('status'), '=', sql.lit('pending'))
        .execute();
      await db.schema
        .createIndex('work_items_ordering_idx')
        .on('work_items')
        .columns(['ordering_key', 'id'])
        .where(sql.ref('status'), '=', sql.lit('pending'))
        .execute();
      await db.schema.createIndex('work_items_finished_idx').on('work_items').column('finished_at').execute();
    },
  };
}
