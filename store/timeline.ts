import type { Kysely } from 'kysely';
import type { TimelineEvent, TimelineSource } from '../incidents/model';
import type { NewTimelineEventRecord, TimelineRepository } from '../incidents/ports';
import type { Database } from './schema';
import { fromIso, toIso } from './time';

export class KyselyTimelineRepository implements TimelineRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records the event; returns undefined when its dedupe key was recorded before. */
  async add(record: NewTimelineEventRecord, now: Date = new Date()): Promise<TimelineEvent | undefined> {
    const row = await this.db
      .insertInto('timeline_events')
      .values({
        incident_id: record.incidentId,
        occurred_at: toIso(record.occurredAt),
        kind: record.kind,
        text: record.text,
        actor_id: record.actorId,
        source: record.source,
        dedupe_key: record.dedupeKey ?? null,
        permalink: record.permalink ?? null,
        created_at: toIso(now),
      })
      .onConflict((conflict) => conflict.columns(['incident_id', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: Number(row.id),
      incidentId: record.incidentId,
      occurredAt: record.occurredAt,
      kind: record.kind,
      text: record.text,
      actorId: record.actorId,
      source: record.source,
      permalink: record.permalink ?? null,
    };
  }

  /** True when an event with this dedupe key was recorded for the incident. */
  async hasDedupeKey(incidentId: number, dedupeKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('timeline_events')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** In time order (oldest first). */
  async list(incidentId: number): Promise<TimelineEvent[]> {
    const rows = await this.db
      .selectFrom('timeline_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      occurredAt: fromIso(row.occurred_at),
      kind: row.kind,
      text: row.text,
      actorId: row.actor_id,
      source: row.source as TimelineSource,
      permalink: row.permalink,
    }));
  }
}
