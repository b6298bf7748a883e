import type { Clock } from './clock';
import { DomainError } from './errors';
import { type Incident, type Participant, ROLE_LABELS, ROLES, type Role } from './model';
import { ConflictError, type Repositories, type UnitOfWork } from './ports';

/** What each role is responsible for: told to whoever is given the role. */
export const ROLE_RESPONSIBILITIES: Record<Role, string> = {
  commander:
    'Leads the response: sets priorities, hands out roles and tasks, decides when the incident is stable or closed, and keeps status reports coming. Hand the role over before you leave the channel.',
  scribe:
    'Keeps the record: notes decisions, findings and who owns what as they happen, adds key moments to the timeline, and helps the commander with status reports.',
  liaison:
    'Speaks for the incident outside the channel: keeps stakeholders, support and customers informed with updates agreed with the commander, and brings their questions back.',
  reporter: 'Reported the incident: answers questions about what was seen first and confirms when it is fixed.',
  participant: 'Works on the incident: investigates, shares findings in the channel, and takes tasks from the commander.',
  observer: 'Follows the incident without an active part: reads along and speaks up when asked.',
};

/** Who holds each role now (a person may appear under several). */
export type RoleHolders = Record<Role, string[]>;

/** Roles that may run the commands listed in SLACK_RESTRICTED_COMMANDS. */
export const PRIVILEGED_ROLES: readonly Role[] = ['commander', 'scribe'];

/** A repeated join of someone already taking part changes nothing (changed: false). */
export type JoinOutcome =
  /** firstJoin: their very first join of this incident (they get the welcome, later joins a catch-up). */
  { changed: true; participant: Participant; firstJoin: boolean } | { changed: false };

export type LeaveOutcome =
  | { kind: 'left'; participant: Participant }
  /** The commander stays on record: they must hand the role over before leaving. */
  | { kind: 'commander_must_hand_over' }
  | { kind: 'not_participant' };

export interface RoleAssignmentRequest {
  incidentId: number;
  userId: string;
  role: Role;
  actorId: string;
  /**
   * People's names by id, for the timeline: its text is read in exports and modals where ids
   * mean nothing. Whoever has no name here is called by their role alone.
   */
  names?: ReadonlyMap<string, string>;
}

export type RoleAssignmentOutcome =
  | { changed: false; incident: Incident; userId: string; role: Role }
  | {
      changed: true;
      /** The incident after the change (its commanderId is the new commander's). */
      incident: Incident;
      userId: string;
      role: Role;
      /** Set when the commander changed hands: who led before and is now a Participant. */
      previousCommanderId: string | null;
    };

/** "Incident Commander handed over from Ada Lovelace to Grace Hopper": names, never ids. */
export function roleChangeText(
  role: Role,
  userId: string,
  previousCommanderId: string | null,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const to = names.get(userId);
  if (previousCommanderId) {
    const from = names.get(previousCommanderId);
    if (from && to) return `${ROLE_LABELS.commander} handed over from ${from} to ${to}`;
    if (to) return `${ROLE_LABELS.commander} handed over to ${to}`;
    return `${ROLE_LABELS.commander} handed over to a new commander`;
  }
  return to ? `${ROLE_LABELS[role]} role given to ${to}` : `${ROLE_LABELS[role]} role given`;
}

/**
 * A participant's highest role, as its index in ROLES. Runs in the list's sort comparator, some
 * 1,500 times for 200 people on every list-participants: a loop, not map + spread (which built
 * two arrays per call, ~15 % of the bytes that command allocated).
 */
const rank = (participant: Participant): number => {
  let best: number = ROLES.length;
  for (const role of participant.roles) {
    const index = ROLES.indexOf(role);
    if (index < best) best = index;
  }
  return best;
};

/**
 * Who takes part in an incident and in which roles. Knows nothing of Slack: callers say who
 * joined, left or wrote; this records it and keeps exactly one Incident Commander.
 */
export class ParticipantService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
    /** The app's own user: never a participant, never given a role. */
    private readonly appUserId: string,
  ) {}

  /** Adds the person (or reactivates one who left); someone without a role becomes a Participant. */
  async join(incidentId: number, userId: string): Promise<JoinOutcome | undefined> {
    if (userId === this.appUserId) return undefined;
    // Most joins in a burst are repeats (Slack re-sends, people re-open the channel): one read, no transaction.
    if (await this.store.participants.isActive(incidentId, userId)) return { changed: false };
    const now = this.clock.now();
    return this.store.transaction(async (tx): Promise<JoinOutcome> => {
      const { changed, firstJoin } = await tx.participants.join(incidentId, userId, now);
      // Another request added them between the read above and this transaction.
      if (!changed) return { changed: false };
      await this.ensureSomeRole(tx, incidentId, userId, now);
      return { changed: true, participant: await this.participant(tx, incidentId, userId), firstJoin };
    });
  }

  /**
   * Marks them as gone, keeping their roles on record. The commander of an incident that is not
   * closed is not let go: they stay on record (the caller invites them back) unless
   * `commanderMayLeave`, for when that fails.
   */
  async leave(incidentId: number, userId: string, options: { commanderMayLeave?: boolean } = {}): Promise<LeaveOutcome> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const roles = await tx.participants.currentRoles(incidentId, userId);
      if (roles.includes('commander') && !options.commanderMayLeave) {
        const incident = await tx.incidents.lock(incidentId);
        if (incident && incident.status !== 'closed') return { kind: 'commander_must_hand_over' };
      }
      if (!(await tx.participants.leave(incidentId, userId, now))) return { kind: 'not_participant' };
      return { kind: 'left', participant: await this.participant(tx, incidentId, userId) };
    });
  }

  /**
   * Counts one message (its text is never seen here) and when it was written, exactly once per
   * delivery key: the key is claimed in the same transaction as the count, so the same message
   * event run again (after a crash, on any replica) is not counted twice.
   */
  async recordActivity(incidentId: number, userId: string, deliveryKey: string): Promise<void> {
    if (userId === this.appUserId) return;
    const now = this.clock.now();
    // Nearly every message is a participant's: counted in one step. Only a writer not seen
    // joining needs the transaction below, which also makes them a participant.
    if ((await this.store.participants.countMessageOnce(incidentId, userId, deliveryKey, now)) !== 'not_participant') return;
    await this.store.transaction(async (tx) => {
      if (!(await tx.processedEvents.claim(deliveryKey, now))) return;
      if (await tx.participants.countMessage(incidentId, userId, now)) return;
      await this.addWriter(tx, incidentId, userId, now);
    });
  }

  /** Someone who was in the channel before we saw them join: a participant, with their message counted. */
  private async addWriter(tx: Repositories, incidentId: number, userId: string, now: Date): Promise<void> {
    await tx.participants.recordActivity(incidentId, userId, now);
    await this.ensureSomeRole(tx, incidentId, userId, now);
  }

  /**
   * Gives `userId` the role. A new commander replaces the previous one, who becomes a Participant,
   * in one transaction (the database also allows only one commander). A role already held
   * changes nothing.
   */
  async assignRole(request: RoleAssignmentRequest): Promise<RoleAssignmentOutcome> {
    const { incidentId, userId, role, actorId } = request;
    if (userId === this.appUserId) throw new DomainError('The app cannot hold a role; pick a person.', 'app_cannot_hold_role');
    if (!ROLES.includes(role))
      throw new DomainError(`Pick one of: ${ROLES.map((known) => ROLE_LABELS[known]).join(', ')}.`, 'unknown_role');
    const now = this.clock.now();
    try {
      return await this.store.transaction(async (tx): Promise<RoleAssignmentOutcome> => {
        const incident = await tx.incidents.lock(incidentId);
        if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
        const unchanged = { changed: false as const, incident, userId, role };
        if ((await tx.participants.currentRoles(incidentId, userId)).includes(role)) return unchanged;
        const previousCommanderId = role === 'commander' ? incident.commanderId : null;
        if (previousCommanderId) {
          await tx.participants.revokeRole(incidentId, previousCommanderId, 'commander', now);
          await tx.participants.grantRole(incidentId, previousCommanderId, 'participant', actorId, now);
        }
        // false: the same assignment landed a moment ago from another request.
        if (!(await tx.participants.grantRole(incidentId, userId, role, actorId, now))) return unchanged;
        await tx.timeline.add(
          {
            incidentId,
            occurredAt: now,
            kind: 'role',
            text: roleChangeText(role, userId, previousCommanderId, request.names),
            actorId,
            source: 'command',
          },
          now,
        );
        const changed = await tx.incidents.getById(incidentId);
        await tx.events.record({
          type: 'participant.role_assigned',
          incident: changed,
          actorId,
          occurredAt: now,
          userId,
          role,
          previousCommanderId,
        });
        return { changed: true, incident: changed, userId, role, previousCommanderId };
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new DomainError(
          'Someone else changed the Incident Commander at the same moment; check the channel and try again.',
          'role_race',
        );
      }
      throw error;
    }
  }

  /** Everyone who took part: the commander first, then those still in the channel, by role, then by arrival. */
  async list(incidentId: number): Promise<Participant[]> {
    const participants = await this.store.participants.list(incidentId);
    return participants.sort(
      (a, b) =>
        Number(b.roles.includes('commander')) - Number(a.roles.includes('commander')) ||
        Number(a.leftAt !== null) - Number(b.leftAt !== null) ||
        rank(a) - rank(b) ||
        a.joinedAt.getTime() - b.joinedAt.getTime(),
    );
  }

  async roleHolders(incidentId: number): Promise<RoleHolders> {
    const holders = Object.fromEntries(ROLES.map((role) => [role, [] as string[]])) as RoleHolders;
    for (const { userId, role } of await this.store.participants.currentAssignments(incidentId)) holders[role].push(userId);
    return holders;
  }

  find(incidentId: number, userId: string): Promise<Participant | undefined> {
    return this.store.participants.get(incidentId, userId);
  }

  async rolesOf(incidentId: number, userId: string): Promise<Role[]> {
    return this.store.participants.currentRoles(incidentId, userId);
  }

  /** May this person run the commands restricted to the commander and scribes? */
  async isPrivileged(incidentId: number, userId: string): Promise<boolean> {
    const roles = await this.store.participants.currentRoles(incidentId, userId);
    return roles.some((role) => PRIVILEGED_ROLES.includes(role));
  }

  /** Restricted incidents are shown only to people who take part in them (or hold a role); open ones to everyone. */
  async maySee(incident: Incident, userId: string): Promise<boolean> {
    if (incident.visibility === 'open') return true;
    if (await this.store.participants.get(incident.id, userId)) return true;
    return (await this.store.participants.currentRoles(incident.id, userId)).length > 0;
  }

  private async ensureSomeRole(tx: Repositories, incidentId: number, userId: string, now: Date): Promise<void> {
    if ((await tx.participants.currentRoles(incidentId, userId)).length === 0) {
      await tx.participants.grantRole(incidentId, userId, 'participant', null, now);
    }
  }

  private async participant(tx: Repositories, incidentId: number, userId: string): Promise<Participant> {
    const participant = await tx.participants.get(incidentId, userId);
    if (!participant) throw new Error(`participant ${userId} of incident ${incidentId} was not recorded`);
    return participant;
  }
}
