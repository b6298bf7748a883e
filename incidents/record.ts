import type { FeedbackSummary } from './feedback';
import { summarizeFeedback } from './feedback';
import type { FollowUp, Incident, Participant, Resource, Role, StatusReport, Task, TimelineEvent } from './model';
import type { UnitOfWork } from './ports';

/** Everything recorded about one incident: what a postmortem is written from. */
export interface IncidentRecord {
  incident: Incident;
  participants: Participant[];
  /** Roles held now (a reporter need not have joined the channel). */
  roles: Array<{ userId: string; role: Role }>;
  /** Any order; readers sort. */
  statusReports: StatusReport[];
  timeline: TimelineEvent[];
  /** Plain tasks (follow-ups are listed on their own). */
  tasks: Task[];
  followUps: FollowUp[];
  resources: Resource[];
  /** Null when nobody was asked yet. */
  feedback: FeedbackSummary | null;
}

/** Every person a record names, sorted (to look their names up in one go). */
export function peopleIn(record: IncidentRecord): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id) ids.add(id);
  };
  add(record.incident.reporterId);
  add(record.incident.commanderId);
  for (const participant of record.participants) add(participant.userId);
  for (const holder of record.roles) add(holder.userId);
  for (const report of record.statusReports) add(report.authorId);
  for (const event of record.timeline) add(event.actorId);
  for (const task of record.tasks) task.assigneeIds.forEach(add);
  for (const followUp of record.followUps) add(followUp.ownerId);
  for (const comment of record.feedback?.comments ?? []) add(comment.authorId);
  return [...ids].sort();
}

/** Reads an incident's whole record in one place. */
export class IncidentRecords {
  constructor(private readonly store: UnitOfWork) {}

  findByName(name: string): Promise<Incident | undefined> {
    return this.store.incidents.findByName(name);
  }

  async load(incident: Incident): Promise<IncidentRecord> {
    const [participants, roles, statusReports, timeline, allTasks, followUps, resources, requested, answers] = await Promise.all([
      this.store.participants.list(incident.id),
      this.store.participants.currentAssignments(incident.id),
      this.store.reports.history(incident.id),
      this.store.timeline.list(incident.id),
      this.store.tasks.listForIncident(incident.id),
      this.store.followUps.list({ incidentId: incident.id }),
      this.store.resources.listForIncident(incident.id),
      this.store.feedback.requestedUsers(incident.id),
      this.store.feedback.list(incident.id),
    ]);
    const followUpIds = new Set(followUps.map((followUp) => followUp.id));
    return {
      incident,
      participants,
      roles,
      statusReports,
      timeline,
      tasks: allTasks.filter((task) => !followUpIds.has(task.id)),
      followUps,
      resources,
      feedback: requested.length > 0 || answers.length > 0 ? summarizeFeedback(requested.length, answers) : null,
    };
  }

  /** A person's open tasks across incidents (follow-ups included; they are tasks too). */
  openTasksOf(userId: string): Promise<Task[]> {
    return this.store.tasks.openAssignedTo(userId);
  }
}
