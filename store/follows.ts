import type { Kysely } from 'kysely';
import type { FollowerRepository } from '../incidents/ports';
import type { Database } from './schema';
import { toIso } from './time';

export class KyselyFollowerRepository implements FollowerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** True when this made them a follower (false: they already were). */
  async add(incidentId: number, userId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('incident_followers')
      .values({ incident_id: incidentId, user_id: userId, followed_at: toIso(at) })
      .onConflict((conflict) => conflict.columns(['incident_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** True when they were a follower. */
  async remove(incidentId: number, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('incident_followers')
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(incidentId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('incident_followers')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .orderBy('followed_at')
      .execute();
    return rows.map((row) => row.user_id);
  }

  /** Removes every follower and returns who they were. */
  async clear(incidentId: number): Promise<string[]> {
    const rows = await this.db.deleteFrom('incident_followers').where('incident_id', '=', incidentId).returning('user_id').execute();
    return rows.map((row) => row.user_id);
  }
}
