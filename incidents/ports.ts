/**
 * What the domain needs from storage, as interfaces: store/ implements them (with Kysely, on
 * SQLite or PostgreSQL), the services here only see these. Records are in domain terms (Dates,
 * ids, model types); how they become rows is the store's business.
 */
import type { FeedbackRepository, FollowUpRepository } from './afterClosePorts';
import type { IncidentEventLog } from './incidentEvents';
import type {
  Announcement,
  Incident,
  IncidentStatus,
  OncallEngagement,
  Participant,
  Resource,
  ResourceKind,
  Role,
  RoleAssignment,
  StatusReport,
  Task,
  TaskStatus,
  TimelineEvent,
  TimelineSource,
  Visibility,
} from './model';

/**
 * A write the store refused because it would break a uniqueness rule (one commander per
 * incident, one incident per channel...): usually two requests racing. The store turns its
 * engine's own error into this, so the domain can tell the loser plainly without knowing the engine.
 */
export class ConflictError extends Error {
  constructor(message = 'another change got there first', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

export interface NewIncidentRecord {
  namePrefix: string;
  title: string;
  description: string;
  type: string;
  priority: string;
  visibility: Visibility;
  reporterId: string;
  reportedAt: Date;
}

/** Fields an update may change; the repository keeps updatedAt itself. */
export type IncidentChanges = Partial<
  Pick<
    Incident,
    | 'title'
    | 'description'
    | 'resolution'
    | 'status'
    | 'type'
    | 'priority'
    | 'visibility'
    | 'channelId'
    | 'channelName'
    | 'summaryTs'
    | 'stableAt'
    | 'closedAt'
    | 'reminderSnoozedUntil'
  >
>;

/** Which incident a channel belongs to: what never changes about it once its channel is recorded. */
export interface IncidentRef {
  id: number;
  name: string;
}

/** Open incidents a person may see (active, stable) and how many of them they are in. */
export interface OpenIncidentCounts {
  active: number;
  stable: number;
  involved: number;
}

export interface IncidentRepository {
  /** Inserts the incident and names it after its number (prefix-number). Call inside a transaction. */
  insert(record: NewIncidentRecord): Promise<Incident>;
  findById(id: number): Promise<Incident | undefined>;
  /** Like findById, for an id known to exist (throws otherwise). */
  getById(id: number): Promise<Incident>;
  findByName(name: string): Promise<Incident | undefined>;
  findByChannel(channelId: string): Promise<Incident | undefined>;
  /** Only the id and name of the incident whose channel this is (one indexed read of two columns). */
  refByChannel(channelId: string): Promise<IncidentRef | undefined>;
  /**
   * Reads the incident and holds it until the transaction ends: another transaction that locks
   * it waits, then reads what this one committed. Every read-then-write of an incident starts
   * here, so two requests racing to change it take turns and the second sees the first's change.
   */
  lock(id: number): Promise<Incident | undefined>;
  /** Oldest first; with `newest`, only that many of the newest, newest first. */
  listByStatus(status: IncidentStatus, newest?: number): Promise<Incident[]>;
  /** Newest first. */
  listRecent(limit: number): Promise<Incident[]>;
  /** Open incidents the person is in now (in the channel, or holding a role beyond Participant or Observer), active first, newest first. */
  listOpenInvolving(userId: string, limit: number): Promise<Incident[]>;
  /** The newest incidents of a status the person may see (restricted ones only if they take part). */
  listVisibleByStatus(status: IncidentStatus, userId: string, limit: number): Promise<Incident[]>;
  /** How many open incidents the person may see, by status, and how many of those they are in. */
  countOpenFor(userId: string): Promise<OpenIncidentCounts>;
  update(id: number, changes: IncidentChanges, at: Date): Promise<Incident>;
  announcements(incidentId: number): Promise<Announcement[]>;
  saveAnnouncement(announcement: Announcement): Promise<void>;
  deleteAnnouncement(incidentId: number, channelId: string): Promise<void>;
}

export interface JoinResult {
  participant: Participant;
  /** false when the person was already an active participant (a repeated join). */
  changed: boolean;
  /** true when they had never been a participant of this incident before. */
  firstJoin: boolean;
}

/** What counting a message once did: counted now, counted before (the same delivery key), or nothing at all (no participant record). */
export type MessageCountOutcome = 'counted' | 'repeat' | 'not_participant';

export interface ParticipantRepository {
  /** True when the person takes part now (joined and not left): one read by primary key. */
  isActive(incidentId: number, userId: string): Promise<boolean>;
  /** Adds the person, or reactivates one who left. */
  join(incidentId: number, userId: string, at: Date): Promise<JoinResult>;
  /** Marks them inactive; false when they were not an active participant. */
  leave(incidentId: number, userId: string, at: Date): Promise<boolean>;
  /** Counts a message of a known participant; false when they have no participant record yet. */
  countMessage(incidentId: number, userId: string, at: Date): Promise<boolean>;
  /**
   * Counts a message of a known participant exactly once per delivery key: the key is claimed
   * and the count made together, atomically. For someone with no participant record it records
   * nothing (not even the key) and says so.
   */
  countMessageOnce(incidentId: number, userId: string, deliveryKey: string, at: Date): Promise<MessageCountOutcome>;
  /** Counts a message; someone not seen joining becomes a participant. */
  recordActivity(incidentId: number, userId: string, at: Date): Promise<void>;
  get(incidentId: number, userId: string): Promise<Participant | undefined>;
  /** Everyone who ever took part (or one person), with the roles they hold now. */
  list(incidentId: number, onlyUserId?: string): Promise<Participant[]>;
  /** Current holders of a role, oldest assignment first. */
  holders(incidentId: number, role: Role): Promise<string[]>;
  /** Every role held now in the incident, oldest assignment first. */
  currentAssignments(incidentId: number): Promise<Array<{ userId: string; role: Role }>>;
  currentRoles(incidentId: number, userId: string): Promise<Role[]>;
  /** Grants a role; false when they already hold it. A second commander is a ConflictError. */
  grantRole(incidentId: number, userId: string, role: Role, assignedBy: string | null, at: Date): Promise<boolean>;
  /** Ends a role held now; history stays. */
  revokeRole(incidentId: number, userId: string, role: Role, at: Date): Promise<boolean>;
  roleHistory(incidentId: number): Promise<RoleAssignment[]>;
}

export interface NewTaskRecord {
  incidentId: number;
  description: string;
  creatorId: string;
  assigneeIds: string[];
  sourceUrl: string | null;
  createdAt: Date;
}

export interface TaskRepository {
  /** Inserts the task and its assignees; call inside a transaction. */
  insert(record: NewTaskRecord): Promise<Task>;
  findById(id: number): Promise<Task | undefined>;
  getById(id: number): Promise<Task>;
  listForIncident(incidentId: number): Promise<Task[]>;
  /** Sets the status; false when it already had it. */
  setStatus(id: number, status: TaskStatus, by: string, at: Date): Promise<boolean>;
  /** Open tasks assigned to a person, across incidents, oldest first. */
  openAssignedTo(userId: string): Promise<Task[]>;
}

export interface NewResourceRecord {
  incidentId: number;
  kind: ResourceKind;
  title: string;
  url: string;
  addedBy: string | null;
  createdAt: Date;
}

export interface ResourceRepository {
  insert(record: NewResourceRecord): Promise<Resource>;
  listForIncident(incidentId: number): Promise<Resource[]>;
}

export interface NewStatusReportRecord {
  incidentId: number;
  conditions: string;
  actions: string;
  needs: string;
  authorId: string;
  createdAt: Date;
}

export interface StatusReportRepository {
  insert(record: NewStatusReportRecord): Promise<StatusReport>;
  latest(incidentId: number): Promise<StatusReport | undefined>;
  /** Newest first. */
  history(incidentId: number): Promise<StatusReport[]>;
  setMessageTs(id: number, messageTs: string): Promise<void>;
  /** Time of each incident's latest report. */
  latestTimes(incidentIds: number[]): Promise<Map<number, Date>>;
}

export interface NewTimelineEventRecord {
  incidentId: number;
  occurredAt: Date;
  kind: string;
  text: string;
  actorId: string | null;
  source: TimelineSource;
  permalink?: string | null;
  /** When set, a second event with the same key for the incident is not recorded. */
  dedupeKey?: string | null;
}

export interface TimelineRepository {
  /** Records the event; undefined when its dedupe key was recorded before. */
  add(record: NewTimelineEventRecord, now: Date): Promise<TimelineEvent | undefined>;
  hasDedupeKey(incidentId: number, dedupeKey: string): Promise<boolean>;
  /** In time order (oldest first). */
  list(incidentId: number): Promise<TimelineEvent[]>;
}

export interface ReminderRepository {
  /** True for exactly one caller per incident and due time (any replica, any restart). */
  claim(incidentId: number, dueAt: Date, at: Date): Promise<boolean>;
  /** Gives a claim back when sending failed. */
  release(incidentId: number, dueAt: Date): Promise<void>;
  count(incidentId: number): Promise<number>;
}

export type NewOncallEngagement = Omit<OncallEngagement, 'id'>;

export interface OncallEngagementRepository {
  insert(record: NewOncallEngagement): Promise<OncallEngagement>;
  listForIncident(incidentId: number): Promise<OncallEngagement[]>;
}

/** People who get an incident's updates by DM without joining its channel. */
export interface FollowerRepository {
  /** True when this made them a follower (false: they already were). */
  add(incidentId: number, userId: string, at: Date): Promise<boolean>;
  /** True when they were a follower. */
  remove(incidentId: number, userId: string): Promise<boolean>;
  list(incidentId: number): Promise<string[]>;
  /** Removes every follower and returns who they were. */
  clear(incidentId: number): Promise<string[]>;
}

/**
 * Keys of deliveries whose effect is applied (Slack's event ids). Claimed in the transaction
 * that applies the effect, so a delivery run again (after a crash, or on another replica)
 * finds its key taken and changes nothing.
 */
export interface AppliedDeliveryRepository {
  /** True the first time a key is claimed, false for any repeat. */
  claim(key: string, at: Date): Promise<boolean>;
}

export interface SubmissionRepository {
  /**
   * Records a submission's key; true the first time, false for any repeat (on any replica).
   * Claimed inside the transaction that records the submission, so both land or neither.
   */
  claim(key: string, at: Date): Promise<boolean>;
}

/** The repositories, over one connection or inside one transaction. */
export interface Repositories {
  /** What happened, recorded with the change (incidentEvents.ts); record inside a transaction. */
  readonly events: IncidentEventLog;
  readonly incidents: IncidentRepository;
  readonly participants: ParticipantRepository;
  readonly tasks: TaskRepository;
  readonly resources: ResourceRepository;
  readonly reports: StatusReportRepository;
  readonly timeline: TimelineRepository;
  readonly reminders: ReminderRepository;
  readonly oncallEngagements: OncallEngagementRepository;
  readonly followers: FollowerRepository;
  readonly followUps: FollowUpRepository;
  readonly feedback: FeedbackRepository;
  readonly submissions: SubmissionRepository;
  readonly processedEvents: AppliedDeliveryRepository;
}

/**
 * The repositories plus a unit of work: what `work` writes lands together or not at all, on
 * both engines; a unique violation inside it rejects with ConflictError.
 */
export interface UnitOfWork extends Repositories {
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
