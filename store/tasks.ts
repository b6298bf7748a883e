import { type Kysely, sql } from 'kysely';
import type { Task, TaskStatus } from '../incidents/model';
import type { NewTaskRecord, TaskRepository } from '../incidents/ports';
import type { Database } from './schema';
import { fromIso, fromIsoOrNull, toIso } from './time';

export class KyselyTaskRepository implements TaskRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the task and its assignees; call inside a transaction. */
  async insert(record: NewTaskRecord): Promise<Task> {
    const { id } = await this.db
      .insertInto('tasks')
      .values({
        incident_id: record.incidentId,
        description: record.description,
        creator_id: record.creatorId,
        status: 'open',
        created_at: toIso(record.createdAt),
        resolved_at: null,
        resolved_by: null,
        source_url: record.sourceUrl,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const assignees = [...new Set(record.assigneeIds)];
    if (assignees.length > 0) {
      await this.db
        .insertInto('task_assignees')
        .values(assignees.map((userId) => ({ task_id: Number(id), user_id: userId })))
        .execute();
    }
    return this.getById(Number(id));
  }

  async findById(id: number): Promise<Task | undefined> {
    const [task] = await this.query({ id });
    return task;
  }

  async getById(id: number): Promise<Task> {
    const task = await this.findById(id);
    if (!task) throw new Error(`task ${id} does not exist`);
    return task;
  }

  async listForIncident(incidentId: number): Promise<Task[]> {
    return this.query({ incidentId });
  }

  /** Open tasks assigned to a person, across incidents, oldest first. */
  async openAssignedTo(userId: string): Promise<Task[]> {
    // Two queries however many tasks: the tasks through task_assignees_user_idx, then their assignees.
    return this.query({ openAssignedTo: userId });
  }

  /** Sets the status; false when it already had it. */
  async setStatus(id: number, status: TaskStatus, by: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set(status === 'resolved' ? { status, resolved_at: toIso(at), resolved_by: by } : { status, resolved_at: null, resolved_by: null })
      .where('id', '=', id)
      .where('status', '!=', status)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private async query(filter: { id?: number; incidentId?: number; openAssignedTo?: string }): Promise<Task[]> {
    // A person's tasks start from the person (task_assignees_user_idx), each task then by its key.
    let tasksQuery =
      filter.openAssignedTo === undefined
        ? this.db.selectFrom('tasks').selectAll('tasks')
        : this.db
            .selectFrom('task_assignees as a')
            .innerJoin('tasks', 'tasks.id', 'a.task_id')
            .selectAll('tasks')
            .where('a.user_id', '=', filter.openAssignedTo)
            // A literal, so even a generic plan can take tasks_open_idx (status = 'open').
            .where('tasks.status', '=', sql.lit('open'));
    if (filter.id !== undefined) tasksQuery = tasksQuery.where('tasks.id', '=', filter.id);
    if (filter.incidentId !== undefined) tasksQuery = tasksQuery.where('tasks.incident_id', '=', filter.incidentId);
    const rows = await tasksQuery.orderBy('tasks.created_at').orderBy('tasks.id').execute();
    if (rows.length === 0) return [];
    const assigneeRows = await this.db
      .selectFrom('task_assignees')
      .select(['task_id', 'user_id'])
      .where(
        'task_id',
        'in',
        rows.map((row) => Number(row.id)),
      )
      .execute();
    const assigneesByTask = new Map<number, string[]>();
    for (const { task_id, user_id } of assigneeRows) {
      const list = assigneesByTask.get(Number(task_id)) ?? [];
      list.push(user_id);
      assigneesByTask.set(Number(task_id), list);
    }
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      description: row.description,
      creatorId: row.creator_id,
      assigneeIds: assigneesByTask.get(Number(row.id)) ?? [],
      status: row.status as TaskStatus,
      createdAt: fromIso(row.created_at),
      resolvedAt: fromIsoOrNull(row.resolved_at),
      resolvedBy: row.resolved_by,
      sourceUrl: row.source_url,
    }));
  }
}
