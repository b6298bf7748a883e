import type { Kysely } from 'kysely';
import type { Resource, ResourceKind } from '../incidents/model';
import type { NewResourceRecord, ResourceRepository } from '../incidents/ports';
import type { Database } from './schema';
import { fromIso, toIso } from './time';

export class KyselyResourceRepository implements ResourceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: NewResourceRecord): Promise<Resource> {
    const { id } = await this.db
      .insertInto('resources')
      .values({
        incident_id: record.incidentId,
        kind: record.kind,
        title: record.title,
        url: record.url,
        added_by: record.addedBy,
        created_at: toIso(record.createdAt),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(id), ...record };
  }

  async listForIncident(incidentId: number): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      kind: row.kind as ResourceKind,
      title: row.title,
      url: row.url,
      addedBy: row.added_by,
      createdAt: fromIso(row.created_at),
    }));
  }
}
