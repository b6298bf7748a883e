import { LRUCache } from 'lru-cache';
import type { Incident } from '../incidents/model';
import type { EphemeralAnswer } from '../slack/blocks/message';
import { type PreparedJson, preparedBody } from '../slack/preparedJson';
import type { ProfilesConfirmed } from '../slack/userDirectory';
import type { SlackUserProfile } from '../slack/userProfile';

/** The participant list as the ack sends it: rendered, ephemeral, serialized once. */
export type ParticipantListAnswer = PreparedJson<EphemeralAnswer>;

/** What a rendered list was made from, besides the roster its revision stands for. */
export interface RenderedParticipantList {
  /** The people it shows by name, in order, and the profiles it showed them with (the same objects). */
  shownUserIds: string[];
  profiles: Array<SlackUserProfile | null>;
  /** When the directory last confirmed it still holds those profiles (UserDirectory.holdsSameProfiles). */
  confirmed: ProfilesConfirmed;
  answer: ParticipantListAnswer;
}

/** What an answer was rendered from, besides its profiles: the roster's revision and the fields it shows. */
interface RenderedFrom {
  rosterRevision: number;
  name: string;
  commanderId: string | null;
  channelId: string | null;
}

type Entry = RenderedParticipantList & RenderedFrom;

const renderedFrom = (incident: Incident): RenderedFrom => ({
  rosterRevision: incident.rosterRevision,
  name: incident.name,
  commanderId: incident.commanderId,
  channelId: incident.channelId,
});

const showsTheSame = (from: RenderedFrom, incident: Incident) =>
  from.rosterRevision === incident.rosterRevision &&
  from.name === incident.name &&
  from.commanderId === incident.commanderId &&
  from.channelId === incident.channelId;

/**
 * The last participant list rendered per incident in this process, so everyone running the
 * command in a busy incident does not each pay for reading 200 participants, rendering them and
 * serializing ~40 KB. An entry answers only while nothing it shows has changed: the incident's
 * roster revision (advanced by the database on every write to the roster, from any replica or
 * script) and the incident fields the list shows are as they were, and the caller checks that
 * the user directory still holds the same profile objects. Bounded by the bytes it holds.
 *
 * It also knows the renderings under way (waiting for profiles from Slack), so that the
 * requests of a burst that arrive meanwhile wait for that one instead of each reading and
 * rendering the same list again.
 */
export class ParticipantListCache {
  private readonly entries: LRUCache<number, Entry>;
  private readonly underWay = new Map<number, RenderedFrom & { answer: Promise<ParticipantListAnswer> }>();

  constructor(maxBytes = 16 * 1024 * 1024) {
    this.entries = new LRUCache<number, Entry>({
      maxSize: maxBytes,
      // The JSON twice over, roughly: its bytes and the frozen object they were made from.
      sizeCalculation: (entry) => Math.max(1, 2 * (preparedBody(entry.answer)?.length ?? 0)),
    });
  }

  /** The list rendered for this incident when it still shows this incident's roster and fields. */
  find(incident: Incident): RenderedParticipantList | undefined {
    const entry = this.entries.get(incident.id);
    return entry && showsTheSame(entry, incident) ? entry : undefined;
  }

  /**
   * Keeps a list rendered from `incident` as read before its participants were: the roster it
   * shows is then this revision's or a later one, so a later lookup with the same revision saw
   * nothing newer, and one with another revision renders again.
   */
  remember(incident: Incident, rendered: RenderedParticipantList): void {
    this.entries.set(incident.id, { ...rendered, ...renderedFrom(incident) });
  }

  /** The rendering under way for this incident's roster and fields, if one is. */
  inProgress(incident: Incident): Promise<ParticipantListAnswer> | undefined {
    const entry = this.underWay.get(incident.id);
    return entry && showsTheSame(entry, incident) ? entry.answer : undefined;
  }

  /** Makes `answer` the rendering under way for `incident` until it settles. */
  rendering(incident: Incident, answer: Promise<ParticipantListAnswer>): void {
    const entry = { ...renderedFrom(incident), answer };
    this.underWay.set(incident.id, entry);
    const done = () => {
      if (this.underWay.get(incident.id) === entry) this.underWay.delete(incident.id);
    };
    // Whoever waits for it sees a failure; here it only ends the entry.
    answer.then(done, done);
  }
}
