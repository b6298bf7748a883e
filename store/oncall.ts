import type { Kysely } from 'kysely';
import type { OncallEngagement } from '../incidents/model';
import type { NewOncallEngagement, OncallEngagementRepository } from '../incidents/ports';
import type { Database } from './schema';
import { fromIso, toIso } from './time';

export class KyselyOncallEngagementRepository implements OncallEngagementRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: NewOncallEngagement): Promise<OncallEngagement> {
    const { id } = await this.db
      .insertInto('oncall_engagements')
      .values({
        incident_id: record.incidentId,
        service: record.service,
        user_id: record.userId,
        engaged_by: record.engagedBy,
        paged: record.paged ? 1 : 0,
        note: record.note,
        engaged_at: toIso(record.engagedAt),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(id), ...record };
  }

  async listForIncident(incidentId: number): Promise<OncallEngagement[]> {
    const rows = await this.db.selectFrom('oncall_engagements').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      service: row.service,
      userId: row.user_id,
      engagedBy: row.engaged_by,
      paged: Number(row.paged) === 1,
      note: row.note,
      engagedAt: fromIso(row.engaged_at),
    }));
  }
}
