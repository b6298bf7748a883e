import type { Kysely } from 'kysely';
import type { ReminderRepository } from '../incidents/ports';
import type { Database } from './schema';
import { toIso } from './time';

export class KyselyReminderRepository implements ReminderRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claims the reminder for one incident and due time. Only the first caller (on any replica,
   * before or after a restart) gets true, so each reminder is sent once.
   */
  async claim(incidentId: number, dueAt: Date, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('report_reminders')
      .values({ incident_id: incidentId, due_at: toIso(dueAt), sent_at: toIso(at) })
      .onConflict((conflict) => conflict.columns(['incident_id', 'due_at']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Gives a claim back when sending failed, so the next scan tries again. */
  async release(incidentId: number, dueAt: Date): Promise<void> {
    await this.db.deleteFrom('report_reminders').where('incident_id', '=', incidentId).where('due_at', '=', toIso(dueAt)).execute();
  }

  async count(incidentId: number): Promise<number> {
    const row = await this.db
      .selectFrom('report_reminders')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
