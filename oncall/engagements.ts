import type { Clock } from '../incidents/clock';
import { ROLE_LABELS } from '../incidents/model';
import type { Store } from '../store';
import type { OncallEngagement } from '../store/oncall';

export interface EngagementRecord {
  incidentId: number;
  /** The service's name, as the provider gave it. */
  service: string;
  /** Slack users engaged (found on call and in Slack). */
  userIds: string[];
  engagedBy: string;
  note: string | null;
  paged: boolean;
}

/** What engaging on-call records: no Slack here, only the incident's participants, engagements and timeline. */
export class OncallEngagements {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The people become participants and each engagement is recorded, with one timeline event: all or nothing. */
  async record(input: EngagementRecord): Promise<OncallEngagement[]> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const engagements: OncallEngagement[] = [];
      for (const userId of input.userIds) {
        await tx.participants.join(input.incidentId, userId, now);
        engagements.push(
          await tx.oncallEngagements.insert({
            incidentId: input.incidentId,
            service: input.service,
            userId,
            engagedBy: input.engagedBy,
            paged: input.paged,
            note: input.note,
            engagedAt: now,
          }),
        );
      }
      const people = input.userIds.length === 1 ? '1 person' : `${input.userIds.length} people`;
      await tx.timeline.add(
        {
          incidentId: input.incidentId,
          occurredAt: now,
          kind: 'oncall',
          text: `On-call engaged for ${input.service}: ${people}${input.paged ? ', paged' : ''}`,
          actorId: input.engagedBy,
          source: 'command',
        },
        now,
      );
      return engagements;
    });
  }

  /**
   * Makes `userId` the Incident Commander; the previous commander becomes a Participant.
   * Returns false when they already lead the incident.
   *
   * The participants feature (issue 4) owns role hand-overs in a ParticipantService that this
   * branch does not have yet; until it is merged, this is the minimum hand-over with the same
   * rule (exactly one active commander), revoking and granting in one transaction so the
   * partial unique index never sees two commanders. Replace with that service once it exists.
   */
  async makeCommander(incidentId: number, userId: string, assignedBy: string): Promise<boolean> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const current = await tx.participants.holders(incidentId, 'commander');
      if (current.length === 1 && current[0] === userId) return false;
      for (const previous of current) {
        await tx.participants.revokeRole(incidentId, previous, 'commander', now);
        await tx.participants.grantRole(incidentId, previous, 'participant', assignedBy, now);
      }
      await tx.participants.join(incidentId, userId, now);
      await tx.participants.grantRole(incidentId, userId, 'commander', assignedBy, now);
      await tx.timeline.add(
        {
          incidentId,
          occurredAt: now,
          kind: 'role',
          text: `${ROLE_LABELS.commander} handed to the engaged on-call`,
          actorId: assignedBy,
          source: 'command',
        },
        now,
      );
      return true;
    });
  }
}
