import type { Kysely } from 'kysely';
import type { FeedbackRepository } from '../incidents/afterClosePorts';
import type { Feedback } from '../incidents/model';
import type { Database } from './schema';
import { fromIso, toIso } from './time';

export class KyselyFeedbackRepository implements FeedbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records that `userId` is asked about the incident: true for the first caller only, on any replica. */
  async claimRequest(incidentId: number, userId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('feedback_requests')
      .values({ incident_id: incidentId, user_id: userId, requested_at: toIso(at) })
      .onConflict((conflict) => conflict.columns(['incident_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Gives the claim back when the DM could not be sent, so a later scan asks again. */
  async releaseRequest(incidentId: number, userId: string): Promise<void> {
    await this.db.deleteFrom('feedback_requests').where('incident_id', '=', incidentId).where('user_id', '=', userId).execute();
  }

  async wasRequested(incidentId: number, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('feedback_requests')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async requestedUsers(incidentId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('feedback_requests').select('user_id').where('incident_id', '=', incidentId).execute();
    return rows.map((row) => row.user_id);
  }

  /** Stores an answer; false when this person already answered for this incident. */
  async insert(feedback: Feedback): Promise<boolean> {
    const result = await this.db
      .insertInto('feedback')
      .values({
        incident_id: feedback.incidentId,
        user_id: feedback.userId,
        rating: feedback.rating,
        went_well: feedback.wentWell,
        to_improve: feedback.toImprove,
        anonymous: feedback.anonymous ? 1 : 0,
        submitted_at: toIso(feedback.submittedAt),
      })
      .onConflict((conflict) => conflict.columns(['incident_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** In the order they were given. */
  async list(incidentId: number): Promise<Feedback[]> {
    const rows = await this.db
      .selectFrom('feedback')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('submitted_at')
      .orderBy('user_id')
      .execute();
    return rows.map((row) => ({
      incidentId: Number(row.incident_id),
      userId: row.user_id,
      rating: Number(row.rating),
      wentWell: row.went_well,
      toImprove: row.to_improve,
      anonymous: Number(row.anonymous) === 1,
      submittedAt: fromIso(row.submitted_at),
    }));
  }
}
