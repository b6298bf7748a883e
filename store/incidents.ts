import { type Kysely, PostgresAdapter, type Selectable, sql, type Updateable } from 'kysely';
import { type Announcement, INCIDENT_STATUSES, type Incident, type IncidentStatus, type Visibility } from '../incidents/model';
import type { IncidentChanges, IncidentRef, IncidentRepository, NewIncidentRecord, OpenIncidentCounts } from '../incidents/ports';
import { LaneStatementGroup } from './ackPhase';
import { precompiled } from './precompiled';
import type { Database, IncidentsTable } from './schema';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from './time';
import { involves, visibleToUser } from './visibility';

const OPEN_STATUSES: IncidentStatus[] = ['active', 'stable'];

type IncidentRow = Selectable<IncidentsTable> & { commander_id: string | null; roster_revision: number | string | null };

function toIncident(row: IncidentRow): Incident {
  return {
    id: Number(row.id),
    name: row.name,
    title: row.title,
    description: row.description,
    resolution: row.resolution,
    status: row.status as IncidentStatus,
    type: row.type,
    priority: row.priority,
    visibility: row.visibility as Visibility,
    reporterId: row.reporter_id,
    commanderId: row.commander_id,
    channelId: row.channel_id,
    channelName: row.channel_name,
    summaryTs: row.summary_ts,
    reportedAt: fromIso(row.reported_at),
    stableAt: fromIsoOrNull(row.stable_at),
    closedAt: fromIsoOrNull(row.closed_at),
    updatedAt: fromIso(row.updated_at),
    reminderSnoozedUntil: fromIsoOrNull(row.reminder_snoozed_until),
    // PostgreSQL sums integers as a bigint, which pg reads as a string; no counter yet is null.
    rosterRevision: Number(row.roster_revision ?? 0),
  };
}

/** Row values for the fields a change names; undefined means "leave as it is", null clears. */
function toRowChanges(changes: IncidentChanges, at: Date): Updateable<IncidentsTable> {
  const row: Updateable<IncidentsTable> = { updated_at: toIso(at) };
  if (changes.title !== undefined) row.title = changes.title;
  if (changes.description !== undefined) row.description = changes.description;
  if (changes.resolution !== undefined) row.resolution = changes.resolution;
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.type !== undefined) row.type = changes.type;
  if (changes.priority !== undefined) row.priority = changes.priority;
  if (changes.visibility !== undefined) row.visibility = changes.visibility;
  if (changes.channelId !== undefined) row.channel_id = changes.channelId;
  if (changes.channelName !== undefined) row.channel_name = changes.channelName;
  if (changes.summaryTs !== undefined) row.summary_ts = changes.summaryTs;
  if (changes.stableAt !== undefined) row.stable_at = toIsoOrNull(changes.stableAt);
  if (changes.closedAt !== undefined) row.closed_at = toIsoOrNull(changes.closedAt);
  if (changes.reminderSnoozedUntil !== undefined) row.reminder_snoozed_until = toIsoOrNull(changes.reminderSnoozedUntil);
  return row;
}

/**
 * Incidents with their current commander, read from the roles, and their roster's revision. The
 * role and the limit are literals, not parameters: only then does SQLite's planner match the
 * partial index on the one current commander (role = 'commander' and not revoked), a single-row
 * lookup; with "role = ?" the lookup costs several times more on every command and event.
 */
function selectIncidents(db: Kysely<Database>) {
  return db
    .selectFrom('incidents as i')
    .selectAll('i')
    .select((eb) =>
      eb
        .selectFrom('participant_roles as r')
        .select('r.user_id')
        .whereRef('r.incident_id', '=', 'i.id')
        .where('r.role', '=', sql.lit('commander'))
        .where('r.revoked_at', 'is', null)
        .limit(sql.lit(1))
        .as('commander_id'),
    )
    .select((eb) =>
      // The roster's revision: the sum of its counters (migration 006), a few rows by primary key.
      eb
        .selectFrom('roster_revisions as v')
        .select(sql<number | string | null>`sum(v.revision)`.as('revision'))
        .whereRef('v.incident_id', '=', 'i.id')
        .as('roster_revision'),
    );
}

/**
 * The lookups every command, button and stored job starts with, compiled once (store/precompiled.ts):
 * building this query's tree with its two subqueries and compiling it cost about as much CPU as a
 * cached participant list's whole answer.
 */
const incidentByChannel = precompiled((db: Kysely<Database>, p: { channelId: string }) =>
  selectIncidents(db).where('i.channel_id', '=', p.channelId),
);
const incidentById = precompiled((db: Kysely<Database>, p: { id: number }) => selectIncidents(db).where('i.id', '=', p.id));

/**
 * The same lookups for many keys at once (PostgreSQL, see KyselyIncidentRepository): the keys
 * are one array parameter, so the text is the same for any number of them and each connection
 * prepares it once. The unique index on channel_id and the primary key answer `= any(...)` one
 * probe per key.
 */
const incidentsByChannels = precompiled((db: Kysely<Database>, p: { channelIds: readonly string[] }) =>
  selectIncidents(db).where(sql<boolean>`i.channel_id = any(${p.channelIds}::text[])`),
);
const incidentsByIds = precompiled((db: Kysely<Database>, p: { ids: readonly number[] }) =>
  selectIncidents(db).where(sql<boolean>`i.id = any(${p.ids}::integer[])`),
);

/**
 * How many grouped lookups of one kind run at once, per lane (store/ackPhase.ts). Reads lock
 * nothing, so two groups never wait on each other; with one at a time, every lookup arriving
 * while a group waits for a connection or for a slow server waits for it too, then for its own
 * statement. One at a time groups more: 20 loops of lookup and participant list in one channel,
 * in one process on PostgreSQL, shared ~10 lookups a statement with one, ~5.5 with four, and
 * spent 0.22 and 0.24 ms of CPU a request (0.34 ungrouped): most of the saving is grouping at
 * all, so four, for latency; they leave the ack lane's 8 connections room for its other queries.
 */
const LOOKUP_CONCURRENCY = 4;

/** Each key's incident from the rows read for them (a key given twice gets an incident of its own each time). */
function answerEach<K>(keys: readonly K[], rows: readonly IncidentRow[], keyOf: (row: IncidentRow) => K): Array<Incident | undefined> {
  const found = new Map<K, IncidentRow>();
  for (const row of rows) found.set(keyOf(row), row);
  return keys.map((key) => {
    const row = found.get(key);
    return row ? toIncident(row) : undefined;
  });
}

export class KyselyIncidentRepository implements IncidentRepository {
  /**
   * On PostgreSQL outside a transaction, lookups by channel and by id made in the same turn of
   * the event loop (a burst of commands in one channel, a batch of stored jobs) share one
   * statement, one round trip (as KyselyParticipantRepository's reads do). A group only holds
   * calls made before its statement starts (store/statementGroup.ts), so nobody reads an older
   * state than a lookup of their own would; inside a transaction every lookup is its own, seeing
   * the transaction's writes. SQLite answers in microseconds in-process: nothing to share.
   * A failed group is run again call by call (StatementGroup's default): a connection lost under
   * it, or an id PostgreSQL refuses (past integer), then fails only the lookup it belongs to.
   */
  private readonly lookups:
    | { byChannel: LaneStatementGroup<string, Incident | undefined>; byId: LaneStatementGroup<number, Incident | undefined> }
    | undefined;

  constructor(private readonly db: Kysely<Database>) {
    this.lookups =
      db.getExecutor().adapter instanceof PostgresAdapter && !db.isTransaction
        ? {
            byChannel: new LaneStatementGroup((channelIds) => this.findManyByChannel(channelIds), { concurrency: LOOKUP_CONCURRENCY }),
            byId: new LaneStatementGroup((ids) => this.findManyById(ids), { concurrency: LOOKUP_CONCURRENCY }),
          }
        : undefined;
  }

  /** What the grouped lookups ran so far, undefined where lookups are not grouped (tests read it). */
  get lookupStats():
    | {
        byChannel: LaneStatementGroup<string, Incident | undefined>['stats'];
        byId: LaneStatementGroup<number, Incident | undefined>['stats'];
      }
    | undefined {
    return this.lookups && { byChannel: this.lookups.byChannel.stats, byId: this.lookups.byId.stats };
  }

  /** PostgreSQL: the incidents of these channels, in one statement, each distinct channel read once. */
  private async findManyByChannel(channelIds: readonly string[]): Promise<Array<Incident | undefined>> {
    const rows = await incidentsByChannels.rows(this.db, { channelIds: [...new Set(channelIds)] });
    return answerEach(channelIds, rows, (row) => row.channel_id);
  }

  /** PostgreSQL: the incidents of these ids, in one statement, each distinct id read once. */
  private async findManyById(ids: readonly number[]): Promise<Array<Incident | undefined>> {
    const rows = await incidentsByIds.rows(this.db, { ids: [...new Set(ids)] });
    return answerEach(ids, rows, (row) => Number(row.id));
  }

  private selectIncidents() {
    return selectIncidents(this.db);
  }

  /** Inserts the incident and names it after its number (prefix-number). Call inside a transaction. */
  async insert(record: NewIncidentRecord): Promise<Incident> {
    const now = toIso(record.reportedAt);
    // A unique placeholder until the id is known; replaced in the same transaction.
    const placeholder = `pending-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const inserted = await this.db
      .insertInto('incidents')
      .values({
        name: placeholder,
        title: record.title,
        description: record.description,
        resolution: null,
        status: 'active',
        type: record.type,
        priority: record.priority,
        visibility: record.visibility,
        reporter_id: record.reporterId,
        channel_id: null,
        channel_name: null,
        summary_ts: null,
        reported_at: now,
        stable_at: null,
        closed_at: null,
        updated_at: now,
        reminder_snoozed_until: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(inserted.id);
    await this.db
      .updateTable('incidents')
      .set({ name: `${record.namePrefix}-${id}` })
      .where('id', '=', id)
      .execute();
    return this.getById(id);
  }

  async findById(id: number): Promise<Incident | undefined> {
    if (this.lookups) return this.lookups.byId.run(id);
    const row = await incidentById.first(this.db, { id });
    return row ? toIncident(row) : undefined;
  }

  async getById(id: number): Promise<Incident> {
    const incident = await this.findById(id);
    if (!incident) throw new Error(`incident ${id} does not exist`);
    return incident;
  }

  async findByName(name: string): Promise<Incident | undefined> {
    const row = await this.selectIncidents().where('i.name', '=', name).executeTakeFirst();
    return row ? toIncident(row) : undefined;
  }

  async findByChannel(channelId: string): Promise<Incident | undefined> {
    if (this.lookups) return this.lookups.byChannel.run(channelId);
    const row = await incidentByChannel.first(this.db, { channelId });
    return row ? toIncident(row) : undefined;
  }

  async refByChannel(channelId: string): Promise<IncidentRef | undefined> {
    const row = await this.db.selectFrom('incidents').select(['id', 'name']).where('channel_id', '=', channelId).executeTakeFirst();
    return row ? { id: Number(row.id), name: row.name } : undefined;
  }

  async lock(id: number): Promise<Incident | undefined> {
    // A no-op write takes the row's write lock on PostgreSQL and the database's on SQLite, in
    // the same words on both engines (SQLite has no SELECT ... FOR UPDATE).
    const locked = await this.db
      .updateTable('incidents')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(locked.numUpdatedRows) > 0 ? this.findById(id) : undefined;
  }

  async listByStatus(status: IncidentStatus, newest?: number): Promise<Incident[]> {
    const query = this.selectIncidents().where('i.status', '=', status);
    // Both read incidents_status_id_idx in order; with a limit, from its newest end.
    const rows = await (newest === undefined ? query.orderBy('i.id') : query.orderBy('i.id', 'desc').limit(newest)).execute();
    return rows.map(toIncident);
  }

  /**
   * Open incidents `userId` is in now (in the channel or holding a role), active first, newest
   * first, at most `limit`: the open ones read through incidents_status_id_idx, each checked by
   * primary key, so the cost follows the open incidents, never all of them.
   */
  async listOpenInvolving(userId: string, limit: number): Promise<Incident[]> {
    const rows = await this.selectIncidents()
      .where('i.status', 'in', OPEN_STATUSES)
      .where((eb) => involves(eb, userId))
      .orderBy('i.status')
      .orderBy('i.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toIncident);
  }

  /** The newest incidents of `status` that `userId` may see, at most `limit`, in incidents_status_id_idx order. */
  async listVisibleByStatus(status: IncidentStatus, userId: string, limit: number): Promise<Incident[]> {
    const rows = await this.selectIncidents()
      .where('i.status', '=', status)
      .where((eb) => visibleToUser(eb, userId))
      .orderBy('i.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toIncident);
  }

  /** How many open incidents `userId` may see, by status, and how many of those they are in: one query. */
  async countOpenFor(userId: string): Promise<OpenIncidentCounts> {
    const rows = await this.db
      .selectFrom('incidents as i')
      .select((eb) => [
        'i.status',
        eb.fn.countAll<string | number>().as('count'),
        eb.fn.sum<string | number | null>(eb.case().when(involves(eb, userId)).then(1).else(0).end()).as('involved'),
      ])
      .where('i.status', 'in', OPEN_STATUSES)
      .where((eb) => visibleToUser(eb, userId))
      .groupBy('i.status')
      .execute();
    const counts: OpenIncidentCounts = { active: 0, stable: 0, involved: 0 };
    for (const row of rows) {
      if (row.status === 'active' || row.status === 'stable') counts[row.status] = Number(row.count);
      counts.involved += Number(row.involved ?? 0);
    }
    return counts;
  }

  /** How many incidents have each status (every status present, zero included): the metrics gauge. */
  async countByStatus(): Promise<Record<IncidentStatus, number>> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(INCIDENT_STATUSES.map((status) => [status, 0])) as Record<IncidentStatus, number>;
    for (const row of rows) counts[row.status as IncidentStatus] = Number(row.count);
    return counts;
  }

  async listRecent(limit: number): Promise<Incident[]> {
    const rows = await this.selectIncidents().orderBy('i.id', 'desc').limit(limit).execute();
    return rows.map(toIncident);
  }

  async update(id: number, changes: IncidentChanges, at: Date): Promise<Incident> {
    await this.db.updateTable('incidents').set(toRowChanges(changes, at)).where('id', '=', id).execute();
    return this.getById(id);
  }

  async announcements(incidentId: number): Promise<Announcement[]> {
    const rows = await this.db.selectFrom('incident_announcements').selectAll().where('incident_id', '=', incidentId).execute();
    return rows.map((row) => ({ incidentId: Number(row.incident_id), channelId: row.channel_id, messageTs: row.message_ts }));
  }

  async saveAnnouncement(announcement: Announcement): Promise<void> {
    await this.db
      .insertInto('incident_announcements')
      .values({ incident_id: announcement.incidentId, channel_id: announcement.channelId, message_ts: announcement.messageTs })
      .onConflict((conflict) => conflict.columns(['incident_id', 'channel_id']).doUpdateSet({ message_ts: announcement.messageTs }))
      .execute();
  }

  async deleteAnnouncement(incidentId: number, channelId: string): Promise<void> {
    await this.db.deleteFrom('incident_announcements').where('incident_id', '=', incidentId).where('channel_id', '=', channelId).execute();
  }
}
