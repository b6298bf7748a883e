import type { Kysely } from 'kysely';
import { precompiled } from './precompiled';
import type { Database } from './schema';
import { toIso } from './time';

/** Runs once per message event: compiled once. */
const claimEventId = precompiled((db: Kysely<Database>, p: { eventId: string; at: string }) =>
  db
    .insertInto('processed_events')
    .values({ event_id: p.eventId, received_at: p.at })
    .onConflict((conflict) => conflict.column('event_id').doNothing()),
);

/** Slack event ids already taken in, shared by every replica through the database. */
export class ProcessedEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records the id; true for the first delivery, false for any repeat (on any replica). */
  async claim(eventId: string, at: Date): Promise<boolean> {
    return (await claimEventId.affected(this.db, { eventId, at: toIso(at) })) > 0;
  }

  /** Forgets ids older than Slack's retry window, so the table stays small. */
  async prune(olderThan: Date): Promise<number> {
    const result = await this.db.deleteFrom('processed_events').where('received_at', '<', toIso(olderThan)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
