/**
 * The incident domain: plain data, no Slack. Times are Dates; ids of people are opaque
 * strings (Slack user ids in practice, but nothing here depends on that).
 */

export const INCIDENT_STATUSES = ['active', 'stable', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const VISIBILITIES = ['open', 'restricted'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface Incident {
  id: number;
  /** e.g. dispatch-42 */
  name: string;
  title: string;
  description: string;
  resolution: string | null;
  status: IncidentStatus;
  type: string;
  priority: string;
  visibility: Visibility;
  reporterId: string;
  /** The one active Incident Commander (derived from the roles). */
  commanderId: string | null;
  channelId: string | null;
  channelName: string | null;
  /** ts of the pinned summary message in the incident channel. */
  summaryTs: string | null;
  reportedAt: Date;
  stableAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  /** Status report reminders are not sent before this time. */
  reminderSnoozedUntil: Date | null;
  /**
   * The revision of the incident's roster (its participants, their roles, joins, leaves and
   * counted messages): it advances with every change to any of them, whoever makes it, so two
   * reads of the incident with the same revision saw the same roster.
   */
  rosterRevision: number;
}

export const ROLES = ['commander', 'scribe', 'liaison', 'reporter', 'participant', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  commander: 'Incident Commander',
  scribe: 'Scribe',
  liaison: 'Liaison',
  reporter: 'Reporter',
  participant: 'Participant',
  observer: 'Observer',
};

export interface Participant {
  incidentId: number;
  userId: string;
  /** Roles held now, in ROLES order. */
  roles: Role[];
  joinedAt: Date;
  leftAt: Date | null;
  lastActivityAt: Date | null;
  messageCount: number;
}

export interface RoleAssignment {
  id: number;
  incidentId: number;
  userId: string;
  role: Role;
  assignedAt: Date;
  assignedBy: string | null;
  revokedAt: Date | null;
}

export const TASK_STATUSES = ['open', 'resolved'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  id: number;
  incidentId: number;
  description: string;
  creatorId: string;
  assigneeIds: string[];
  status: TaskStatus;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  /** Link to the message the task was made from, when it was. */
  sourceUrl: string | null;
}

export const RESOURCE_KINDS = ['channel', 'document', 'ticket', 'conference', 'dashboard', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface Resource {
  id: number;
  incidentId: number;
  kind: ResourceKind;
  title: string;
  url: string;
  addedBy: string | null;
  createdAt: Date;
}

export interface StatusReport {
  id: number;
  incidentId: number;
  conditions: string;
  actions: string;
  needs: string;
  authorId: string;
  createdAt: Date;
  /** ts of the report's pinned message in the incident channel. */
  messageTs: string | null;
}

export const TIMELINE_SOURCES = ['reaction', 'command', 'system'] as const;
export type TimelineSource = (typeof TIMELINE_SOURCES)[number];

export interface TimelineEvent {
  id: number;
  incidentId: number;
  occurredAt: Date;
  kind: string;
  text: string;
  actorId: string | null;
  source: TimelineSource;
  permalink: string | null;
}

export interface Announcement {
  incidentId: number;
  channelId: string;
  messageTs: string;
}

/** A task kind that outlives the incident: one owner, an optional due day, reminded when overdue. */
export interface FollowUp extends Task {
  ownerId: string;
  /** The UTC day it is due (YYYY-MM-DD), or null. */
  dueOn: string | null;
}

export const FEEDBACK_RATINGS = [1, 2, 3, 4, 5] as const;

/** One person's answer to the feedback form after close. */
export interface Feedback {
  incidentId: number;
  /** Kept so nobody answers twice; never shown when `anonymous`. */
  userId: string;
  rating: number;
  wentWell: string;
  toImprove: string;
  anonymous: boolean;
  submittedAt: Date;
}

/** One person brought into an incident because they were on call for a service. */
export interface OncallEngagement {
  id: number;
  incidentId: number;
  /** The service's name as the provider gave it. */
  service: string;
  userId: string;
  engagedBy: string;
  paged: boolean;
  note: string | null;
  engagedAt: Date;
}
