import type { Clock } from './clock';
import { DomainError } from './errors';
import type { Incident } from './model';
import type { UnitOfWork } from './ports';

/**
 * Followers get an incident's status changes and status reports without joining its channel.
 * Following ends with the incident: a closed incident has no followers left.
 */
export class FollowService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Why `userId` may not follow this incident, or undefined when they may. */
  async followProblem(incident: Incident, userId: string): Promise<string | undefined> {
    if (incident.status === 'closed')
      return `${incident.name} is closed, so there is nothing left to follow. Its channel keeps the history.`;
    if (incident.visibility === 'restricted' && !(await this.isParticipant(incident.id, userId))) {
      return `${incident.name} is restricted: only the people working on it can follow it.`;
    }
    return undefined;
  }

  /** Makes them a follower; false when they already were. Refused in plain words when they may not. */
  async follow(incident: Incident, userId: string): Promise<boolean> {
    const problem = await this.followProblem(incident, userId);
    if (problem) throw new DomainError(problem, 'follow_refused');
    return this.store.followers.add(incident.id, userId, this.clock.now());
  }

  /** False when they were not following. */
  unfollow(incidentId: number, userId: string): Promise<boolean> {
    return this.store.followers.remove(incidentId, userId);
  }

  followers(incidentId: number): Promise<string[]> {
    return this.store.followers.list(incidentId);
  }

  /** On close: the followers to tell one last time; nobody follows it afterwards. */
  endFollowing(incidentId: number): Promise<string[]> {
    return this.store.followers.clear(incidentId);
  }

  /** Someone who took part (in the channel now or before) or holds a role. */
  private async isParticipant(incidentId: number, userId: string): Promise<boolean> {
    if (await this.store.participants.get(incidentId, userId)) return true;
    return (await this.store.participants.currentRoles(incidentId, userId)).length > 0;
  }
}
