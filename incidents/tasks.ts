import type { Clock } from './clock';
import { DomainError } from './errors';
import type { Task, TaskStatus } from './model';
import type { Repositories, UnitOfWork } from './ports';

export const TASK_DESCRIPTION_LIMIT = 1000;

export interface NewTask {
  incidentId: number;
  description: string;
  assigneeIds: string[];
  creatorId: string;
  /** Link to the message the task was made from. */
  sourceUrl?: string | null;
}

export interface TaskChange {
  task: Task;
  /** false when the task already had that status (two people clicked at once): nothing was recorded. */
  changed: boolean;
}

const TIMELINE_VERB: Record<TaskStatus, string> = { open: 'reopened', resolved: 'resolved' };

/** An incident's tasks: who does what. Creating, resolving and reopening go on the timeline. */
export class TaskService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Why a description cannot be a task, or undefined when it can. */
  descriptionProblem(description: string): string | undefined {
    const text = description.trim();
    if (text.length === 0) return 'Please describe the task.';
    if (text.length > TASK_DESCRIPTION_LIMIT) return `Keep the task within ${TASK_DESCRIPTION_LIMIT} characters (it has ${text.length}).`;
    return undefined;
  }

  async create(input: NewTask): Promise<Task> {
    const problem = this.descriptionProblem(input.description);
    if (problem) throw new DomainError(problem, 'invalid_task');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const incident = await tx.incidents.lock(input.incidentId);
      if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
      const task = await tx.tasks.insert({
        incidentId: input.incidentId,
        description: input.description.trim(),
        creatorId: input.creatorId,
        assigneeIds: input.assigneeIds,
        sourceUrl: input.sourceUrl ?? null,
        createdAt: now,
      });
      await this.addToTimeline(tx, task, `Task added: ${task.description}`, input.creatorId, now);
      await tx.events.record({ type: 'task.created', incident, actorId: input.creatorId, occurredAt: now, task });
      return task;
    });
  }

  async require(taskId: number): Promise<Task> {
    const task = await this.store.tasks.findById(taskId);
    if (!task) throw new DomainError('That task no longer exists.', 'task_not_found');
    return task;
  }

  resolve(taskId: number, actorId: string): Promise<TaskChange> {
    return this.setStatus(taskId, 'resolved', actorId);
  }

  reopen(taskId: number, actorId: string): Promise<TaskChange> {
    return this.setStatus(taskId, 'open', actorId);
  }

  /** Open tasks first, then resolved ones; each group oldest first. */
  async list(incidentId: number): Promise<Task[]> {
    const tasks = await this.store.tasks.listForIncident(incidentId);
    return [...tasks.filter((task) => task.status === 'open'), ...tasks.filter((task) => task.status === 'resolved')];
  }

  private async setStatus(taskId: number, status: TaskStatus, actorId: string): Promise<TaskChange> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const changed = await tx.tasks.setStatus(taskId, status, actorId, now);
      const task = await tx.tasks.findById(taskId);
      if (!task) throw new DomainError('That task no longer exists.', 'task_not_found');
      if (changed) await this.addToTimeline(tx, task, `Task ${TIMELINE_VERB[status]}: ${task.description}`, actorId, now);
      // Reopening a task has no event of its own in the catalogue.
      if (changed && status === 'resolved') {
        const incident = await tx.incidents.getById(task.incidentId);
        await tx.events.record({ type: 'task.resolved', incident, actorId, occurredAt: now, task });
      }
      return { task, changed };
    });
  }

  private async addToTimeline(tx: Repositories, task: Task, text: string, actorId: string, now: Date): Promise<void> {
    await tx.timeline.add({ incidentId: task.incidentId, occurredAt: now, kind: 'task', text, actorId, source: 'command' }, now);
  }
}
