import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { toIso } from './time';

/** Slack event ids already taken in, shared by every replica through the database. */
export class ProcessedEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records the id; true for the first delivery, false for any repeat (on any replica). */
  async claim(eventId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('processed_events')
      .values({ event_id: eventId, received_at: toIso(at) })
      .onConflict((conflict) => conflict.column('event_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Forgets ids older than Slack's retry window, so the table stays small. */
  async prune(olderThan: Date): Promise<number> {
    const result = await this.db.deleteFrom('processed_events').where('received_at', '<', toIso(olderThan)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
