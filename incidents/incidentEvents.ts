import type { Incident, IncidentStatus, Role, StatusReport, Task } from './model';

/**
 * What happened to an incident, as the domain records it inside the unit of work that made the
 * change. Adapters outside the domain turn these into notifications (outbound webhooks today);
 * the domain only says what changed, never where it goes.
 */
export const INCIDENT_EVENT_TYPES = [
  'incident.reported',
  'incident.status_changed',
  'incident.updated',
  'incident.closed',
  'incident.reopened',
  'status_report.posted',
  'participant.role_assigned',
  'task.created',
  'task.resolved',
  'followup.created',
  'oncall.engaged',
] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** The incident fields an edit can change, with the raw values before and after. */
export type EditedIncidentField = 'title' | 'description' | 'resolution' | 'type' | 'priority' | 'visibility';

export interface FieldValueChange {
  field: EditedIncidentField;
  from: string | null;
  to: string | null;
}

/** A follow-up: work that outlives the incident, with an owner and a due day (a FollowUp has all of these). */
export interface FollowUpRecord {
  id: number;
  incidentId: number;
  description: string;
  ownerId: string | null;
  creatorId: string;
  /** The UTC day it is due (YYYY-MM-DD), or null. */
  dueOn: string | null;
  createdAt: Date;
  /** The message it was made from, when it was. */
  sourceUrl: string | null;
}

interface EventBase {
  /** The incident as it is after the change. */
  incident: Incident;
  /** Who made the change (a person's id), or null when the app did it by itself. */
  actorId: string | null;
  occurredAt: Date;
}

export type IncidentEvent = EventBase &
  (
    | { type: 'incident.reported' }
    /** Between active and stable; closing and reopening have events of their own. */
    | {
        type: 'incident.status_changed' | 'incident.closed' | 'incident.reopened';
        previousStatus: IncidentStatus;
        /** Fields set by the same change (the resolution given when closing). */
        changes?: FieldValueChange[];
      }
    | { type: 'incident.updated'; changes: FieldValueChange[] }
    | { type: 'status_report.posted'; report: StatusReport }
    | { type: 'participant.role_assigned'; userId: string; role: Role; previousCommanderId: string | null }
    | { type: 'task.created' | 'task.resolved'; task: Task }
    | { type: 'followup.created'; followUp: FollowUpRecord }
    | { type: 'oncall.engaged'; service: string; userIds: string[]; paged: boolean; note: string | null }
  );

/** The event type of a status change: closing and reopening are named, the rest is a status change. */
export function statusEventType(
  previous: IncidentStatus,
  next: IncidentStatus,
): 'incident.status_changed' | 'incident.closed' | 'incident.reopened' {
  if (next === 'closed') return 'incident.closed';
  if (previous === 'closed') return 'incident.reopened';
  return 'incident.status_changed';
}

/**
 * The port: records incident events in the same unit of work as the change they describe, so an
 * event exists exactly when its change was committed.
 */
export interface IncidentEventLog {
  record(event: IncidentEvent): Promise<void>;
}

/** For units of work with nobody listening (no webhooks configured): records nothing. */
export const noIncidentEvents: IncidentEventLog = { record: async () => undefined };
