import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type Participant, ROLES, type Role, type RoleAssignment } from '../incidents/model';
import type { JoinResult, MessageCountOutcome, ParticipantRepository } from '../incidents/ports';
import { ProcessedEventRepository } from './events';
import { precompiled } from './precompiled';
import type { Database } from './schema';
import { StatementGroup } from './statementGroup';
import { fromIso, fromIsoOrNull, toIso } from './time';

const byRoleOrder = (a: Role, b: Role) => ROLES.indexOf(a) - ROLES.indexOf(b);

interface MessageToCount {
  incidentId: number;
  userId: string;
  deliveryKey: string;
  at: string;
}

/** Thrown to roll back a claimed key whose message had nobody to count it for. */
class NoParticipantRow extends Error {}

interface Membership {
  incidentId: number;
  userId: string;
}

/**
 * Each message counted once per key, for many messages in one statement (PostgreSQL): the
 * participants' rows are locked in key order (two groups never wait on each other in a cycle),
 * the keys of those with a row are claimed, and each row's count goes up by its newly claimed
 * messages. One statement is one transaction, so a key is never claimed without its count.
 */
const COUNT_MESSAGES_ONCE = (inputs: readonly MessageToCount[]) => sql<{ ord: string; known: boolean; claimed: boolean }>`
  with input as (
    select * from unnest(
      ${inputs.map((input) => input.deliveryKey)}::text[],
      ${inputs.map((input) => input.incidentId)}::integer[],
      ${inputs.map((input) => input.userId)}::text[],
      ${inputs.map((input) => input.at)}::text[]
    ) with ordinality as i(event_id, incident_id, user_id, at, ord)
  ),
  known as (
    select i.event_id, i.incident_id, i.user_id, i.at
    from input i join participants p on p.incident_id = i.incident_id and p.user_id = i.user_id
    order by i.incident_id, i.user_id
    for update of p
  ),
  claimed as (
    insert into processed_events (event_id, received_at)
    select event_id, at from known
    on conflict (event_id) do nothing
    returning event_id
  ),
  counts as (
    select k.incident_id, k.user_id, count(*) as n, max(k.at) as at
    from known k join claimed c on c.event_id = k.event_id
    group by k.incident_id, k.user_id
  ),
  counted as (
    update participants p set message_count = p.message_count + c.n, last_activity_at = c.at
    from counts c where p.incident_id = c.incident_id and p.user_id = c.user_id
    returning p.user_id
  )
  select i.ord,
    exists (select 1 from known k where k.event_id = i.event_id) as known,
    exists (select 1 from claimed c where c.event_id = i.event_id) as claimed
  from input i
  where (select count(*) from counted) >= 0`;

/** The busiest statements of an event burst (a repeated join, a message), compiled once. */
const participantRow = precompiled((db: Kysely<Database>, p: { incidentId: number; userId: string }) =>
  db.selectFrom('participants').select('left_at').where('incident_id', '=', p.incidentId).where('user_id', '=', p.userId),
);
const countOneMessage = precompiled((db: Kysely<Database>, p: { incidentId: number; userId: string; at: string }) =>
  db
    .updateTable('participants')
    .set((eb) => ({ last_activity_at: p.at, message_count: eb('message_count', '+', 1) }))
    .where('incident_id', '=', p.incidentId)
    .where('user_id', '=', p.userId),
);

export class KyselyParticipantRepository implements ParticipantRepository {
  /**
   * Outside a transaction on PostgreSQL, the busiest effects of an event burst (a message's
   * count, a repeated join's read) from calls made together share one statement.
   */
  private readonly groups:
    | { messages: StatementGroup<MessageToCount, MessageCountOutcome>; memberships: StatementGroup<Membership, boolean> }
    | undefined;

  constructor(private readonly db: Kysely<Database>) {
    this.groups =
      this.isPostgres && !db.isTransaction
        ? {
            messages: new StatementGroup((inputs) => this.countMessagesOnce(inputs)),
            memberships: new StatementGroup((inputs) => this.areActive(inputs)),
          }
        : undefined;
  }

  private get isPostgres(): boolean {
    return this.db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async isActive(incidentId: number, userId: string): Promise<boolean> {
    if (this.groups) return this.groups.memberships.run({ incidentId, userId });
    const row = await participantRow.first(this.db, { incidentId, userId });
    return row !== undefined && row.left_at === null;
  }

  /** Adds the person, or reactivates one who left. */
  async join(incidentId: number, userId: string, at: Date): Promise<JoinResult> {
    const existing = await this.db
      .selectFrom('participants')
      .select(['left_at'])
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing && existing.left_at === null) {
      return { participant: await this.getOrThrow(incidentId, userId), changed: false, firstJoin: false };
    }
    await this.db
      .insertInto('participants')
      .values({ incident_id: incidentId, user_id: userId, joined_at: toIso(at), left_at: null, last_activity_at: null })
      .onConflict((conflict) => conflict.columns(['incident_id', 'user_id']).doUpdateSet({ joined_at: toIso(at), left_at: null }))
      .execute();
    return { participant: await this.getOrThrow(incidentId, userId), changed: true, firstJoin: !existing };
  }

  /** Marks them inactive; returns false when they were not an active participant. */
  async leave(incidentId: number, userId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('participants')
      .set({ left_at: toIso(at) })
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .where('left_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Counts a message of a known participant (one query on the hot path of message events).
   * False when they have no participant row yet; recordActivity then adds them.
   */
  async countMessage(incidentId: number, userId: string, at: Date): Promise<boolean> {
    return (await countOneMessage.affected(this.db, { incidentId, userId, at: toIso(at) })) > 0;
  }

  async countMessageOnce(incidentId: number, userId: string, deliveryKey: string, at: Date): Promise<MessageCountOutcome> {
    const message = { incidentId, userId, deliveryKey, at: toIso(at) };
    if (this.groups) return this.groups.messages.run(message);
    if (this.isPostgres) return (await this.countMessagesOnce([message]))[0];
    return this.countOneMessageOnce(message);
  }

  /** PostgreSQL: the messages counted once per key, in one statement; a key given twice counts once. */
  private async countMessagesOnce(inputs: readonly MessageToCount[]): Promise<MessageCountOutcome[]> {
    const first = new Map<string, number>();
    const distinct: MessageToCount[] = [];
    for (const input of inputs) {
      if (first.has(input.deliveryKey)) continue;
      first.set(input.deliveryKey, distinct.length);
      distinct.push(input);
    }
    const { rows } = await COUNT_MESSAGES_ONCE(distinct).execute(this.db);
    const outcomes = new Array<MessageCountOutcome>(distinct.length);
    for (const row of rows) outcomes[Number(row.ord) - 1] = !row.known ? 'not_participant' : row.claimed ? 'counted' : 'repeat';
    const answered = new Set<number>();
    return inputs.map((input) => {
      const index = first.get(input.deliveryKey) as number;
      const outcome = outcomes[index];
      // The same key again in the group: counted by the first, a repeat here.
      if (answered.has(index) && outcome === 'counted') return 'repeat';
      answered.add(index);
      return outcome;
    });
  }

  /** SQLite: the key claimed, then the count; without a participant row, the claim is rolled back. */
  private async countOneMessageOnce(message: MessageToCount): Promise<MessageCountOutcome> {
    const at = fromIso(message.at);
    if (this.db.isTransaction) {
      // Within a caller's transaction nothing can be rolled back alone: asked first instead.
      if (!(await this.get(message.incidentId, message.userId))) return 'not_participant';
      if (!(await new ProcessedEventRepository(this.db).claim(message.deliveryKey, at))) return 'repeat';
      await this.countMessage(message.incidentId, message.userId, at);
      return 'counted';
    }
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await new ProcessedEventRepository(trx).claim(message.deliveryKey, at))) return 'repeat';
        if (await new KyselyParticipantRepository(trx).countMessage(message.incidentId, message.userId, at)) return 'counted';
        throw new NoParticipantRow();
      });
    } catch (error) {
      if (error instanceof NoParticipantRow) return 'not_participant';
      throw error;
    }
  }

  /** PostgreSQL: whether each takes part now, in one read by primary key. */
  private async areActive(inputs: readonly Membership[]): Promise<boolean[]> {
    const { rows } = await sql<{ ord: string; active: boolean }>`
      select i.ord, (p.user_id is not null and p.left_at is null) as active
      from unnest(${inputs.map((input) => input.incidentId)}::integer[], ${inputs.map((input) => input.userId)}::text[])
        with ordinality as i(incident_id, user_id, ord)
      left join participants p on p.incident_id = i.incident_id and p.user_id = i.user_id`.execute(this.db);
    const active = new Array<boolean>(inputs.length).fill(false);
    for (const row of rows) active[Number(row.ord) - 1] = row.active;
    return active;
  }

  /** Counts a message; someone who was in the channel before we saw them join becomes a participant. */
  async recordActivity(incidentId: number, userId: string, at: Date): Promise<void> {
    await this.db
      .insertInto('participants')
      .values({
        incident_id: incidentId,
        user_id: userId,
        joined_at: toIso(at),
        left_at: null,
        last_activity_at: toIso(at),
        message_count: 1,
      })
      .onConflict((conflict) =>
        conflict.columns(['incident_id', 'user_id']).doUpdateSet((eb) => ({
          last_activity_at: toIso(at),
          message_count: eb('participants.message_count', '+', 1),
        })),
      )
      .execute();
  }

  async get(incidentId: number, userId: string): Promise<Participant | undefined> {
    const [participant] = await this.list(incidentId, userId);
    return participant;
  }

  private async getOrThrow(incidentId: number, userId: string): Promise<Participant> {
    const participant = await this.get(incidentId, userId);
    if (!participant) throw new Error(`participant ${userId} of incident ${incidentId} does not exist`);
    return participant;
  }

  /**
   * Everyone who ever took part (or one person), with the roles they hold now, in one query:
   * the participants by the primary key's incident_id prefix, and for each its current roles
   * from participant_roles_current_idx (incident_id, user_id, role where not revoked), folded
   * into one column. A correlated lookup per participant, not a join: PostgreSQL plans a
   * prepared statement once for every incident, from the average incident's few rows, and a
   * join planned that way (a nested loop filtering every role against every participant)
   * costs ~1,000 × 1,000 comparisons for an incident of 1,000 people; a lookup by both key
   * columns costs one index probe each, whatever plan it gets.
   */
  async list(incidentId: number, onlyUserId?: string): Promise<Participant[]> {
    const roles = this.isPostgres ? sql<string | null>`string_agg(r.role, ',')` : sql<string | null>`group_concat(r.role, ',')`;
    let query = this.db
      .selectFrom('participants as p')
      .select(['p.user_id', 'p.joined_at', 'p.left_at', 'p.last_activity_at', 'p.message_count'])
      .select((eb) =>
        eb
          .selectFrom('participant_roles as r')
          .select(roles.as('roles'))
          .whereRef('r.incident_id', '=', 'p.incident_id')
          .whereRef('r.user_id', '=', 'p.user_id')
          .where('r.revoked_at', 'is', null)
          .as('roles'),
      )
      .where('p.incident_id', '=', incidentId);
    if (onlyUserId) query = query.where('p.user_id', '=', onlyUserId);
    const rows = await query.orderBy('p.joined_at').orderBy('p.user_id').execute();
    return rows.map((row) => ({
      incidentId,
      userId: row.user_id,
      roles: row.roles ? (row.roles.split(',') as Role[]).sort(byRoleOrder) : [],
      joinedAt: fromIso(row.joined_at),
      leftAt: fromIsoOrNull(row.left_at),
      lastActivityAt: fromIsoOrNull(row.last_activity_at),
      messageCount: Number(row.message_count),
    }));
  }

  /** Current holders of a role. */
  async holders(incidentId: number, role: Role): Promise<string[]> {
    const rows = await this.db
      .selectFrom('participant_roles')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .orderBy('assigned_at')
      .execute();
    return rows.map((row) => row.user_id);
  }

  /** Every role held now in the incident, oldest assignment first, in one query. */
  async currentAssignments(incidentId: number): Promise<Array<{ userId: string; role: Role }>> {
    const rows = await this.db
      .selectFrom('participant_roles')
      .select(['user_id', 'role'])
      .where('incident_id', '=', incidentId)
      .where('revoked_at', 'is', null)
      .orderBy('assigned_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ userId: row.user_id, role: row.role as Role }));
  }

  async currentRoles(incidentId: number, userId: string): Promise<Role[]> {
    const rows = await this.db
      .selectFrom('participant_roles')
      .select('role')
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((row) => row.role as Role).sort(byRoleOrder);
  }

  /** Grants a role; false when they already hold it. */
  async grantRole(incidentId: number, userId: string, role: Role, assignedBy: string | null, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('participant_roles')
      .values({ incident_id: incidentId, user_id: userId, role, assigned_at: toIso(at), assigned_by: assignedBy, revoked_at: null })
      .onConflict((conflict) => conflict.columns(['incident_id', 'user_id', 'role']).where('revoked_at', 'is', null).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Ends a role held now; history stays. */
  async revokeRole(incidentId: number, userId: string, role: Role, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('participant_roles')
      .set({ revoked_at: toIso(at) })
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async roleHistory(incidentId: number): Promise<RoleAssignment[]> {
    const rows = await this.db
      .selectFrom('participant_roles')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('assigned_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      incidentId: Number(row.incident_id),
      userId: row.user_id,
      role: row.role as Role,
      assignedAt: fromIso(row.assigned_at),
      assignedBy: row.assigned_by,
      revokedAt: fromIsoOrNull(row.revoked_at),
    }));
  }
}
