import type { Clock } from './clock';
import { DomainError } from './errors';
import { utcDay } from './metrics';
import type { FollowUp, Incident } from './model';
import type { UnitOfWork } from './ports';
import { TASK_DESCRIPTION_LIMIT } from './tasks';

export interface NewFollowUp {
  incidentId: number;
  description: string;
  ownerId: string;
  /** YYYY-MM-DD, or null for none. */
  dueOn: string | null;
  creatorId: string;
  sourceUrl?: string | null;
}

export interface FollowUpChange {
  followUp: FollowUp;
  /** false when it already had that status (two clicks at once): nothing was recorded. */
  changed: boolean;
}

/** An overdue follow-up whose daily reminder is due. */
export interface DueFollowUpReminder {
  followUp: FollowUp;
  incident: Incident;
  /** The UTC day the reminder is for: the key that makes it go out once that day. */
  day: string;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** At most this many follow-ups from one close form (one a line). */
export const FOLLOW_UP_LINES_LIMIT = 20;

/** "one\n- two\n\n* three" -> ["one", "two", "three"]: the close form's follow-up lines. */
export function followUpLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter(Boolean);
}

/**
 * Follow-ups: tasks with one owner and an optional due day, made during or after an incident
 * (a closed one too: that is when most are written), reminded daily while overdue.
 */
export class FollowUpService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return utcDay(this.clock.now());
  }

  /** Why this cannot be a follow-up, or undefined when it can. */
  problem(input: { description: string; dueOn: string | null }): string | undefined {
    const text = input.description.trim();
    if (text.length === 0) return 'Please describe the follow-up.';
    if (text.length > TASK_DESCRIPTION_LIMIT)
      return `Keep the follow-up within ${TASK_DESCRIPTION_LIMIT} characters (it has ${text.length}).`;
    return this.dueProblem(input.dueOn);
  }

  dueProblem(dueOn: string | null): string | undefined {
    if (dueOn === null) return undefined;
    if (!DAY_PATTERN.test(dueOn) || Number.isNaN(Date.parse(`${dueOn}T00:00:00Z`))) return 'Pick a due date from the calendar.';
    if (dueOn < this.today()) return 'The due date is in the past; pick today or a later day.';
    return undefined;
  }

  /** Records the follow-ups (all or none) and puts each on the timeline. */
  async create(inputs: NewFollowUp[]): Promise<FollowUp[]> {
    for (const input of inputs) {
      const problem = this.problem(input);
      if (problem) throw new DomainError(problem, 'invalid_follow_up');
    }
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const created: FollowUp[] = [];
      for (const input of inputs) {
        const incident = await tx.incidents.findById(input.incidentId);
        if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
        const task = await tx.tasks.insert({
          incidentId: input.incidentId,
          description: input.description.trim(),
          creatorId: input.creatorId,
          assigneeIds: [input.ownerId],
          sourceUrl: input.sourceUrl ?? null,
          createdAt: now,
        });
        await tx.followUps.attach({ taskId: task.id, incidentId: task.incidentId, ownerId: input.ownerId, dueOn: input.dueOn, at: now });
        await tx.timeline.add(
          {
            incidentId: task.incidentId,
            occurredAt: now,
            kind: 'follow_up',
            text: `Follow-up added: ${task.description}`,
            actorId: input.creatorId,
            source: 'command',
          },
          now,
        );
        const followUp = await tx.followUps.findByTask(task.id);
        if (followUp) {
          created.push(followUp);
          await tx.events.record({ type: 'followup.created', incident, actorId: input.creatorId, occurredAt: now, followUp });
        }
      }
      return created;
    });
  }

  /** Turns an open task into a follow-up with an owner (and a due day). */
  async fromTask(taskId: number, input: { ownerId: string; dueOn: string | null; actorId: string }): Promise<FollowUp> {
    const problem = this.dueProblem(input.dueOn);
    if (problem) throw new DomainError(problem, 'invalid_follow_up');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const task = await tx.tasks.findById(taskId);
      if (!task) throw new DomainError('That task no longer exists.', 'task_not_found');
      if (task.status !== 'open')
        throw new DomainError('That task is resolved already; only an open task can become a follow-up.', 'task_resolved');
      if (!(await tx.followUps.attach({ taskId, incidentId: task.incidentId, ownerId: input.ownerId, dueOn: input.dueOn, at: now }))) {
        throw new DomainError('That task is a follow-up already.', 'already_follow_up');
      }
      await tx.timeline.add(
        {
          incidentId: task.incidentId,
          occurredAt: now,
          kind: 'follow_up',
          text: `Task made a follow-up: ${task.description}`,
          actorId: input.actorId,
          source: 'command',
        },
        now,
      );
      const followUp = await tx.followUps.findByTask(taskId);
      if (!followUp) throw new Error(`follow-up ${taskId} vanished inside its transaction`);
      const incident = await tx.incidents.getById(task.incidentId);
      await tx.events.record({ type: 'followup.created', incident, actorId: input.actorId, occurredAt: now, followUp });
      return followUp;
    });
  }

  async require(taskId: number): Promise<FollowUp> {
    const followUp = await this.store.followUps.findByTask(taskId);
    if (!followUp) throw new DomainError('That follow-up no longer exists.', 'follow_up_not_found');
    return followUp;
  }

  async markDone(taskId: number, actorId: string): Promise<FollowUpChange> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const before = await tx.followUps.findByTask(taskId);
      if (!before) throw new DomainError('That follow-up no longer exists.', 'follow_up_not_found');
      const changed = await tx.tasks.setStatus(taskId, 'resolved', actorId, now);
      if (changed) {
        await tx.timeline.add(
          {
            incidentId: before.incidentId,
            occurredAt: now,
            kind: 'follow_up',
            text: `Follow-up done: ${before.description}`,
            actorId,
            source: 'command',
          },
          now,
        );
      }
      const followUp = await tx.followUps.findByTask(taskId);
      if (!followUp) throw new Error(`follow-up ${taskId} vanished inside its transaction`);
      return { followUp, changed };
    });
  }

  listForIncident(incidentId: number): Promise<FollowUp[]> {
    return this.store.followUps.list({ incidentId });
  }

  /** A person's open follow-ups, oldest first. */
  openFor(ownerId: string): Promise<FollowUp[]> {
    return this.store.followUps.list({ ownerId, status: 'open' });
  }

  isOverdue(followUp: FollowUp): boolean {
    return followUp.status === 'open' && followUp.dueOn !== null && followUp.dueOn < this.today();
  }

  /** Overdue open follow-ups whose reminder for today has not necessarily gone out yet. */
  async dueReminders(): Promise<DueFollowUpReminder[]> {
    const day = this.today();
    const overdue = await this.store.followUps.list({ status: 'open', dueBefore: day });
    const due: DueFollowUpReminder[] = [];
    for (const followUp of overdue) {
      const incident = await this.store.incidents.findById(followUp.incidentId);
      if (incident) due.push({ followUp, incident, day });
    }
    return due;
  }

  /** True for exactly one caller per follow-up and day, across replicas and restarts. */
  claimReminder(reminder: DueFollowUpReminder): Promise<boolean> {
    return this.store.followUps.claimReminder(reminder.followUp.id, reminder.day, this.clock.now());
  }

  releaseReminder(reminder: DueFollowUpReminder): Promise<void> {
    return this.store.followUps.releaseReminder(reminder.followUp.id, reminder.day);
  }
}
