import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are ISO-8601 UTC text in both dialects: they sort
 * correctly as text and read back identically from SQLite and PostgreSQL.
 */
export interface Database {
  incidents: IncidentsTable;
  incident_announcements: AnnouncementsTable;
  participants: ParticipantsTable;
  participant_roles: ParticipantRolesTable;
  tasks: TasksTable;
  task_assignees: TaskAssigneesTable;
  resources: ResourcesTable;
  status_reports: StatusReportsTable;
  timeline_events: TimelineEventsTable;
  processed_events: ProcessedEventsTable;
  submissions: SubmissionsTable;
  report_reminders: ReportRemindersTable;
  oncall_engagements: OncallEngagementsTable;
  follow_ups: FollowUpsTable;
  follow_up_reminders: FollowUpRemindersTable;
  feedback_requests: FeedbackRequestsTable;
  feedback: FeedbackTable;
  work_items: WorkItemsTable;
  incident_followers: IncidentFollowersTable;
  roster_revisions: RosterRevisionsTable;
}

/** Counters advanced by triggers on participants and participant_roles; their sum per incident is its roster's revision (migration 006). */
export interface RosterRevisionsTable {
  incident_id: number;
  shard: number;
  revision: number;
}

export interface IncidentFollowersTable {
  incident_id: number;
  user_id: string;
  followed_at: string;
}

export interface IncidentsTable {
  id: Generated<number>;
  name: string;
  title: string;
  description: string;
  resolution: string | null;
  status: string;
  type: string;
  priority: string;
  visibility: string;
  reporter_id: string;
  channel_id: string | null;
  channel_name: string | null;
  summary_ts: string | null;
  reported_at: string;
  stable_at: string | null;
  closed_at: string | null;
  updated_at: string;
  reminder_snoozed_until: string | null;
}

export interface AnnouncementsTable {
  incident_id: number;
  channel_id: string;
  message_ts: string;
}

export interface ParticipantsTable {
  incident_id: number;
  user_id: string;
  joined_at: string;
  left_at: string | null;
  last_activity_at: string | null;
  message_count: Generated<number>;
}

export interface ParticipantRolesTable {
  id: Generated<number>;
  incident_id: number;
  user_id: string;
  role: string;
  assigned_at: string;
  assigned_by: string | null;
  revoked_at: string | null;
}

export interface TasksTable {
  id: Generated<number>;
  incident_id: number;
  description: string;
  creator_id: string;
  status: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  source_url: string | null;
}

export interface TaskAssigneesTable {
  task_id: number;
  user_id: string;
}

export interface ResourcesTable {
  id: Generated<number>;
  incident_id: number;
  kind: string;
  title: string;
  url: string;
  added_by: string | null;
  created_at: string;
}

export interface StatusReportsTable {
  id: Generated<number>;
  incident_id: number;
  conditions: string;
  actions: string;
  needs: string;
  author_id: string;
  created_at: string;
  message_ts: string | null;
}

export interface TimelineEventsTable {
  id: Generated<number>;
  incident_id: number;
  occurred_at: string;
  kind: string;
  text: string;
  actor_id: string | null;
  source: string;
  /** Makes one-time events (a reacted-to message) idempotent: unique per incident. */
  dedupe_key: string | null;
  permalink: string | null;
  created_at: string;
}

export interface SubmissionsTable {
  submission_key: string;
  received_at: string;
}

export interface ProcessedEventsTable {
  event_id: string;
  received_at: string;
}

export interface ReportRemindersTable {
  incident_id: number;
  /** The due time this reminder is for; the primary key makes each one sent once. */
  due_at: string;
  sent_at: string;
}

export interface OncallEngagementsTable {
  id: Generated<number>;
  incident_id: number;
  service: string;
  user_id: string;
  engaged_by: string;
  paged: number;
  note: string | null;
  engaged_at: string;
}

/** A follow-up is a task (same id) with an owner and an optional due day. */
export interface FollowUpsTable {
  task_id: number;
  incident_id: number;
  owner_id: string;
  /** YYYY-MM-DD (UTC), or null for no due date. */
  due_on: string | null;
  created_at: string;
}

export interface FollowUpRemindersTable {
  task_id: number;
  /** The UTC day the reminder is for; the primary key makes it go out once that day. */
  day: string;
  sent_at: string;
}

export interface FeedbackRequestsTable {
  incident_id: number;
  user_id: string;
  requested_at: string;
}

export interface FeedbackTable {
  incident_id: number;
  user_id: string;
  rating: number;
  went_well: string;
  to_improve: string;
  /** 1 when the person asked not to be named. */
  anonymous: number;
  submitted_at: string;
}

export interface WorkItemsTable {
  id: Generated<number>;
  kind: string;
  dedupe_key: string | null;
  ordering_key: string | null;
  /** JSON text. */
  payload: string;
  /** pending (waiting, or leased while it runs) | done | failed */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
