import type { IncidentEvent, IncidentEventType } from '../incidents/incidentEvents';
import type { Incident, StatusReport, Task } from '../incidents/model';

/**
 * The JSON receivers get. Field names are snake_case and stable: adding a field is not a breaking
 * change, renaming or removing one is. Times are ISO-8601 UTC.
 */
export interface WebhookIncident {
  id: number;
  name: string;
  title: string;
  description: string;
  resolution: string | null;
  status: string;
  type: string;
  priority: string;
  /** open or restricted; restricted incidents only go to endpoints that opted in. */
  visibility: string;
  commander_id: string | null;
  reporter_id: string;
  channel_id: string | null;
  channel_name: string | null;
  /** The incident channel in Slack, once it exists. */
  channel_url: string | null;
  reported_at: string;
  stable_at: string | null;
  closed_at: string | null;
  updated_at: string;
}

export interface ValueChange {
  old: string | null;
  new: string | null;
}

export interface WebhookPayload {
  /** Unique per event and the same on every retry and redelivery: receivers deduplicate on it. */
  id: string;
  type: IncidentEventType;
  occurred_at: string;
  actor: { user_id: string } | null;
  /** The incident as it was right after this change. */
  incident: WebhookIncident;
  /** Incident fields this event changed, old and new; empty when no incident field changed. */
  changes: Record<string, ValueChange>;
  /** What the event is about beyond the incident's fields (a report, a task, a role...). */
  data: Record<string, unknown>;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function incidentSnapshot(incident: Incident, channelUrl: (channelId: string) => string): WebhookIncident {
  return {
    id: incident.id,
    name: incident.name,
    title: incident.title,
    description: incident.description,
    resolution: incident.resolution,
    status: incident.status,
    type: incident.type,
    priority: incident.priority,
    visibility: incident.visibility,
    commander_id: incident.commanderId,
    reporter_id: incident.reporterId,
    channel_id: incident.channelId,
    channel_name: incident.channelName,
    channel_url: incident.channelId ? channelUrl(incident.channelId) : null,
    reported_at: incident.reportedAt.toISOString(),
    stable_at: iso(incident.stableAt),
    closed_at: iso(incident.closedAt),
    updated_at: incident.updatedAt.toISOString(),
  };
}

function statusReport(report: StatusReport): Record<string, unknown> {
  return {
    id: report.id,
    conditions: report.conditions,
    actions: report.actions,
    needs: report.needs,
    author_id: report.authorId,
    created_at: report.createdAt.toISOString(),
  };
}

function task(value: Task): Record<string, unknown> {
  return {
    id: value.id,
    description: value.description,
    status: value.status,
    creator_id: value.creatorId,
    assignee_ids: value.assigneeIds,
    created_at: value.createdAt.toISOString(),
    resolved_at: iso(value.resolvedAt),
    resolved_by: value.resolvedBy,
    source_url: value.sourceUrl,
  };
}

function changesAndData(event: IncidentEvent): Pick<WebhookPayload, 'changes' | 'data'> {
  switch (event.type) {
    case 'incident.reported':
      return { changes: { status: { old: null, new: event.incident.status } }, data: {} };
    case 'incident.status_changed':
    case 'incident.closed':
    case 'incident.reopened':
      return {
        changes: {
          status: { old: event.previousStatus, new: event.incident.status },
          ...Object.fromEntries((event.changes ?? []).map((change) => [change.field, { old: change.from, new: change.to }])),
        },
        data: {},
      };
    case 'incident.updated':
      return {
        changes: Object.fromEntries(event.changes.map((change) => [change.field, { old: change.from, new: change.to }])),
        data: {},
      };
    case 'status_report.posted':
      return { changes: {}, data: { status_report: statusReport(event.report) } };
    case 'participant.role_assigned':
      return {
        changes: event.role === 'commander' ? { commander_id: { old: event.previousCommanderId, new: event.userId } } : {},
        data: { user_id: event.userId, role: event.role, previous_commander_id: event.previousCommanderId },
      };
    case 'task.created':
    case 'task.resolved':
      return { changes: {}, data: { task: task(event.task) } };
    case 'followup.created':
      return {
        changes: {},
        data: {
          followup: {
            id: event.followUp.id,
            description: event.followUp.description,
            owner_id: event.followUp.ownerId,
            creator_id: event.followUp.creatorId,
            due_on: event.followUp.dueOn,
            source_url: event.followUp.sourceUrl,
            created_at: event.followUp.createdAt.toISOString(),
          },
        },
      };
    case 'oncall.engaged':
      return {
        changes: {},
        data: { service: event.service, user_ids: event.userIds, paged: event.paged, note: event.note },
      };
  }
}

/** The payload of one event: pure, so the catalogue in docs/webhooks.md is checked by tests. */
export function buildPayload(id: string, event: IncidentEvent, channelUrl: (channelId: string) => string): WebhookPayload {
  return {
    id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    actor: event.actorId ? { user_id: event.actorId } : null,
    incident: incidentSnapshot(event.incident, channelUrl),
    ...changesAndData(event),
  };
}
