/**
 * Storage ports of the after-close features (follow-ups, feedback, metrics), beside
 * ports.ts: store/ implements them; the services here only see these.
 */
import type { Feedback, FollowUp, IncidentStatus, TaskStatus } from './model';

/** What the metrics need of an incident: when it was reported, stable and closed. */
export interface IncidentTimes {
  id: number;
  name: string;
  type: string;
  priority: string;
  status: IncidentStatus;
  reportedAt: Date;
  stableAt: Date | null;
  closedAt: Date | null;
}

export interface FollowUpFilter {
  taskId?: number;
  incidentId?: number;
  ownerId?: string;
  status?: TaskStatus;
  /** Only those due strictly before this day (YYYY-MM-DD). */
  dueBefore?: string;
}

export interface FollowUpRepository {
  /** Makes the task a follow-up; false when it already is one. Call inside a transaction. */
  attach(record: { taskId: number; incidentId: number; ownerId: string; dueOn: string | null; at: Date }): Promise<boolean>;
  findByTask(taskId: number): Promise<FollowUp | undefined>;
  /** Oldest first. */
  list(filter: FollowUpFilter): Promise<FollowUp[]>;
  /** Task ids of an incident's follow-ups. */
  taskIds(incidentId: number): Promise<Set<number>>;
  /** True for exactly one caller per follow-up and day (any replica, any restart). */
  claimReminder(taskId: number, day: string, at: Date): Promise<boolean>;
  releaseReminder(taskId: number, day: string): Promise<void>;
}

export interface FeedbackRepository {
  /** True for the first caller only, per incident and person. */
  claimRequest(incidentId: number, userId: string, at: Date): Promise<boolean>;
  releaseRequest(incidentId: number, userId: string): Promise<void>;
  wasRequested(incidentId: number, userId: string): Promise<boolean>;
  requestedUsers(incidentId: number): Promise<string[]>;
  /** Stores an answer; false when this person already answered for this incident. */
  insert(feedback: Feedback): Promise<boolean>;
  /** In the order they were given. */
  list(incidentId: number): Promise<Feedback[]>;
}

/** Who figures are for: every incident (an admin's export), or what one person may see. */
export type MetricsViewer = { kind: 'everyone' } | { kind: 'user'; userId: string };

export interface MetricsQueries {
  /** Incidents reported in [since, until) the viewer may see, oldest first. */
  incidentsReported(since: Date, until: Date, viewer: MetricsViewer): Promise<IncidentTimes[]>;
  /** Open follow-ups due before `today` (YYYY-MM-DD) of incidents the viewer may see. */
  overdueFollowUps(today: string, viewer: MetricsViewer): Promise<number>;
  /** Ids of incidents closed in [from, to], oldest close first. */
  closedBetween(from: Date, to: Date): Promise<number[]>;
  /** Ids of incidents closed since `since` that asked for feedback, latest close first; only `commanderId`'s when given. */
  closedWithFeedback(since: Date, commanderId: string | null, limit: number): Promise<number[]>;
}
