import type { Clock } from './clock';
import type { TimelineEvent } from './model';
import type { UnitOfWork } from './ports';

/** Longest message text kept on the timeline; the permalink leads to the rest. */
export const TIMELINE_TEXT_LIMIT = 2000;

/** A chat message someone marked for the timeline. */
export interface MarkedMessage {
  incidentId: number;
  /** Where the message is (channel and message ids, opaque here): the same message is added once. */
  channelId: string;
  messageId: string;
  authorId: string | null;
  text: string;
  /** When the message was posted, not when it was marked. */
  postedAt: Date;
  permalink: string | null;
}

const messageKey = (channelId: string, messageId: string) => `message:${channelId}:${messageId}`;

/** What happened when: events the services record themselves, plus messages people mark. */
export class TimelineService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** True when the message is on the timeline already (checked before fetching it again). */
  hasMessage(incidentId: number, channelId: string, messageId: string): Promise<boolean> {
    return this.store.timeline.hasDedupeKey(incidentId, messageKey(channelId, messageId));
  }

  /**
   * Adds a message once, however many people mark it and however often: the store's unique key
   * decides, so concurrent marks on several replicas still add it once. Undefined when it was there.
   */
  addMessage(message: MarkedMessage): Promise<TimelineEvent | undefined> {
    const text = message.text.trim() || '(a message without text)';
    return this.store.timeline.add(
      {
        incidentId: message.incidentId,
        occurredAt: message.postedAt,
        kind: 'message',
        text: text.length > TIMELINE_TEXT_LIMIT ? `${text.slice(0, TIMELINE_TEXT_LIMIT - 1)}…` : text,
        actorId: message.authorId,
        source: 'reaction',
        permalink: message.permalink,
        dedupeKey: messageKey(message.channelId, message.messageId),
      },
      this.clock.now(),
    );
  }

  /** Oldest first. */
  list(incidentId: number): Promise<TimelineEvent[]> {
    return this.store.timeline.list(incidentId);
  }
}
