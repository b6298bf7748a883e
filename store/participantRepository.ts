import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type Participant, ROLES, type Role, type RoleAssignment } from '../incidents/model';
import type { JoinResult, ParticipantRepository } from '../incidents/ports';
import { precompiled } from './precompiled';
import type { Database } from './schema';
import { fromIso, fromIsoOrNull, toIso } from './time';

const byRoleOrder = (a: Role, b: Role) => ROLES.indexOf(a) - ROLES.indexOf(b);

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
  constructor(private readonly db: Kysely<Database>) {}

  private get isPostgres(): boolean {
    return this.db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async isActive(incidentId: number, userId: string): Promise<boolean> {
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
