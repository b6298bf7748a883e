import type { Kysely } from 'kysely';
import type { FollowUpFilter, FollowUpRepository } from '../incidents/afterClosePorts';
import type { FollowUp, TaskStatus } from '../incidents/model';
import type { Database } from './schema';
import { fromIso, fromIsoOrNull, toIso } from './time';

/** Follow-ups: the follow_ups row of a task, read together with the task. */
export class KyselyFollowUpRepository implements FollowUpRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Makes the task a follow-up; false when it already is one. Call inside a transaction. */
  async attach(record: { taskId: number; incidentId: number; ownerId: string; dueOn: string | null; at: Date }): Promise<boolean> {
    const result = await this.db
      .insertInto('follow_ups')
      .values({
        task_id: record.taskId,
        incident_id: record.incidentId,
        owner_id: record.ownerId,
        due_on: record.dueOn,
        created_at: toIso(record.at),
      })
      .onConflict((conflict) => conflict.column('task_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findByTask(taskId: number): Promise<FollowUp | undefined> {
    const [followUp] = await this.list({ taskId });
    return followUp;
  }

  /** Oldest first. */
  async list(filter: FollowUpFilter): Promise<FollowUp[]> {
    let query = this.db
      .selectFrom('follow_ups as f')
      .innerJoin('tasks as t', 't.id', 'f.task_id')
      .select([
        't.id as id',
        't.incident_id as incident_id',
        't.description as description',
        't.creator_id as creator_id',
        't.status as status',
        't.created_at as created_at',
        't.resolved_at as resolved_at',
        't.resolved_by as resolved_by',
        't.source_url as source_url',
        'f.owner_id as owner_id',
        'f.due_on as due_on',
      ]);
    if (filter.taskId !== undefined) query = query.where('f.task_id', '=', filter.taskId);
    if (filter.incidentId !== undefined) query = query.where('f.incident_id', '=', filter.incidentId);
    if (filter.ownerId !== undefined) query = query.where('f.owner_id', '=', filter.ownerId);
    if (filter.status !== undefined) query = query.where('t.status', '=', filter.status);
    if (filter.dueBefore !== undefined) query = query.where('f.due_on', 'is not', null).where('f.due_on', '<', filter.dueBefore);
    const rows = await query.orderBy('t.created_at').orderBy('t.id').execute();
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      description: row.description,
      creatorId: row.creator_id,
      assigneeIds: [row.owner_id],
      status: row.status as TaskStatus,
      createdAt: fromIso(row.created_at),
      resolvedAt: fromIsoOrNull(row.resolved_at),
      resolvedBy: row.resolved_by,
      sourceUrl: row.source_url,
      ownerId: row.owner_id,
      dueOn: row.due_on,
    }));
  }

  /** Task ids of an incident's follow-ups (to tell them apart from plain tasks). */
  async taskIds(incidentId: number): Promise<Set<number>> {
    const rows = await this.db.selectFrom('follow_ups').select('task_id').where('incident_id', '=', incidentId).execute();
    return new Set(rows.map((row) => Number(row.task_id)));
  }

  /** Claims the overdue reminder of one follow-up for one day: true for exactly one caller, on any replica. */
  async claimReminder(taskId: number, day: string, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('follow_up_reminders')
      .values({ task_id: taskId, day, sent_at: toIso(at) })
      .onConflict((conflict) => conflict.columns(['task_id', 'day']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Gives a claim back when the DM failed, so the next scan tries again. */
  async releaseReminder(taskId: number, day: string): Promise<void> {
    await this.db.deleteFrom('follow_up_reminders').where('task_id', '=', taskId).where('day', '=', day).execute();
  }
}
