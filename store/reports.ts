import type { Kysely, Selectable } from 'kysely';
import type { StatusReport } from '../incidents/model';
import type { NewStatusReportRecord, StatusReportRepository } from '../incidents/ports';
import type { Database, StatusReportsTable } from './schema';
import { fromIso, toIso } from './time';

function toReport(row: Selectable<StatusReportsTable>): StatusReport {
  return {
    id: Number(row.id),
    incidentId: Number(row.incident_id),
    conditions: row.conditions,
    actions: row.actions,
    needs: row.needs,
    authorId: row.author_id,
    createdAt: fromIso(row.created_at),
    messageTs: row.message_ts,
  };
}

export class KyselyStatusReportRepository implements StatusReportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: NewStatusReportRecord): Promise<StatusReport> {
    const row = await this.db
      .insertInto('status_reports')
      .values({
        incident_id: record.incidentId,
        conditions: record.conditions,
        actions: record.actions,
        needs: record.needs,
        author_id: record.authorId,
        created_at: toIso(record.createdAt),
        message_ts: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toReport(row);
  }

  async latest(incidentId: number): Promise<StatusReport | undefined> {
    const row = await this.db
      .selectFrom('status_reports')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toReport(row) : undefined;
  }

  /** Newest first. */
  async history(incidentId: number): Promise<StatusReport[]> {
    const rows = await this.db
      .selectFrom('status_reports')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toReport);
  }

  async setMessageTs(id: number, messageTs: string): Promise<void> {
    await this.db.updateTable('status_reports').set({ message_ts: messageTs }).where('id', '=', id).execute();
  }

  /** Time of each incident's latest report, for the reminder scan. */
  async latestTimes(incidentIds: number[]): Promise<Map<number, Date>> {
    if (incidentIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('status_reports')
      .select(['incident_id', (eb) => eb.fn.max('created_at').as('latest')])
      .where('incident_id', 'in', incidentIds)
      .groupBy('incident_id')
      .execute();
    return new Map(rows.map((row) => [Number(row.incident_id), fromIso(String(row.latest))]));
  }
}
