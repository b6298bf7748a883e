import { LRUCache } from 'lru-cache';
import type { Clock } from '../incidents/clock';
import type { SlackGateway, SlackUserProfile } from './gateway';

/**
 * What holdsSameProfiles last confirmed for one list of people: while the directory has not
 * changed since (no profile added, replaced or dropped) and none of them has expired, it still
 * holds, and checking again costs a comparison instead of a look-up per person.
 */
export interface ProfilesConfirmed {
  generation: number;
  /** The earliest expiry among those profiles (ms since the epoch). */
  until: number;
}

interface CacheEntry {
  expiresAt: number;
  profile: Promise<SlackUserProfile | null>;
  /** Set once the look-up answered: what can be read without waiting. */
  settled?: { value: SlackUserProfile | null };
}

/**
 * Slack profiles with an expiring cache, so listing 200 participants does not cost 200
 * users.info calls each time. Concurrent look-ups of one user share one call; a failed
 * look-up is not cached.
 */
export class UserDirectory {
  private readonly cache = new Map<string, CacheEntry>();
  /** Advances whenever an entry is added, replaced or dropped (see ProfilesConfirmed). */
  private generation = 0;
  /** How many profiles were looked up ahead per scope (an incident), for warm()'s bound. */
  private readonly warmedPerScope = new LRUCache<number, number>({ max: 1_000 });

  constructor(
    private readonly gateway: SlackGateway,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  profile(userId: string): Promise<SlackUserProfile | null> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    const entry: CacheEntry = { expiresAt: now + this.ttlMs, profile: Promise.resolve(null) };
    entry.profile = this.gateway.userInfo(userId).then(
      (value) => {
        entry.settled = { value };
        return value;
      },
      () => {
        if (this.cache.get(userId) === entry) this.forget(userId);
        return null;
      },
    );
    if (this.cache.size >= this.maxEntries) this.evictExpired(now);
    this.cache.set(userId, entry);
    this.generation += 1;
    return entry.profile;
  }

  /**
   * Looks `userId` up ahead of need, so that a later answer showing them (the participant list)
   * can be the ack itself instead of an empty ack and a post once Slack has answered. At most
   * `perScope` people per scope are looked up this way (the first of an incident's arrivals,
   * as many as its list shows by name), so a join storm of thousands cannot spend Slack's
   * users.info budget; past that, and for someone already known, it does nothing.
   */
  async warm(scope: number, userId: string, perScope: number): Promise<void> {
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > this.clock.now().getTime()) return;
    const warmed = this.warmedPerScope.get(scope) ?? 0;
    if (warmed >= perScope) return;
    this.warmedPerScope.set(scope, warmed + 1);
    await this.profile(userId);
  }

  /**
   * The profiles of all of `userIds` when every one is already known and fresh, without a call
   * to Slack; null when any is missing (then `profiles` fetches them). Lets an answer that only
   * needs cached profiles go out in the ack itself.
   */
  knownProfiles(userIds: string[]): Map<string, SlackUserProfile | null> | null {
    const now = this.clock.now().getTime();
    const results = new Map<string, SlackUserProfile | null>();
    for (const userId of userIds) {
      const entry = this.cache.get(userId);
      if (!entry?.settled || entry.expiresAt <= now) return null;
      results.set(userId, entry.settled.value);
    }
    return results;
  }

  /**
   * True when each of `userIds` is still known, fresh, and exactly `profiles[i]` (the same object
   * the directory handed out): what was rendered from them then still shows what the directory
   * holds now. A profile looked up again (expired, refreshed) is a new object, so it answers false.
   * Given `confirmed` (kept with the rendering), a yes is remembered there, and asking again is
   * answered from it while nothing in the directory changed and none of them expired.
   */
  holdsSameProfiles(userIds: readonly string[], profiles: ReadonlyArray<SlackUserProfile | null>, confirmed?: ProfilesConfirmed): boolean {
    if (userIds.length !== profiles.length) return false;
    const now = this.clock.now().getTime();
    if (confirmed && confirmed.generation === this.generation && now < confirmed.until) return true;
    let until = Number.POSITIVE_INFINITY;
    for (let index = 0; index < userIds.length; index += 1) {
      const entry = this.cache.get(userIds[index]);
      if (!entry?.settled || entry.expiresAt <= now || entry.settled.value !== profiles[index]) return false;
      until = Math.min(until, entry.expiresAt);
    }
    if (confirmed) {
      confirmed.generation = this.generation;
      confirmed.until = until;
    }
    return true;
  }

  /** Profiles of many users, with at most `concurrency` calls in flight (Slack's tier limits). */
  async profiles(userIds: string[], concurrency = 8): Promise<Map<string, SlackUserProfile | null>> {
    const unique = [...new Set(userIds)];
    const results = new Map<string, SlackUserProfile | null>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const userId = unique[next];
        next += 1;
        results.set(userId, await this.profile(userId));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
    return results;
  }

  private forget(userId: string): void {
    this.cache.delete(userId);
    this.generation += 1;
  }

  private evictExpired(now: number): void {
    for (const [userId, entry] of this.cache) {
      if (entry.expiresAt <= now) this.forget(userId);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    while (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }
}
