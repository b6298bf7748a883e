import type { Clock } from '../incidents/clock';
import type { OncallEngagement } from '../incidents/model';
import type { UnitOfWork } from '../incidents/ports';

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
    private readonly store: UnitOfWork,
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
      await tx.events.record({
        type: 'oncall.engaged',
        incident: await tx.incidents.getById(input.incidentId),
        actorId: input.engagedBy,
        occurredAt: now,
        service: input.service,
        userIds: input.userIds,
        paged: input.paged,
        note: input.note,
      });
      return engagements;
    });
  }
}
