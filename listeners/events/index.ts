import type { EventListenerModule, ListenerDependencies, ListenerRoutes } from '../types';
import { appHomeListener } from './appHome';
import { memberJoinedListener, memberLeftListener, messageActivityListener } from './channelMembership';
import { timelineReactionListener } from './timelineReaction';

/** Every Events API listener: one line each. The manifest's bot events come from this list. */
export const EVENT_LISTENERS: EventListenerModule[] = [
  appHomeListener,
  memberJoinedListener,
  memberLeftListener,
  messageActivityListener,
  timelineReactionListener,
];

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  for (const listener of EVENT_LISTENERS) listener.register(routes, deps);
}
