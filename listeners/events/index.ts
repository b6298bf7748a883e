import type { App } from '@slack/bolt';
import type { EventListenerModule, ListenerDependencies } from '../types';
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

export function register(app: App, deps: ListenerDependencies): void {
  for (const listener of EVENT_LISTENERS) listener.register(app, deps);
}
