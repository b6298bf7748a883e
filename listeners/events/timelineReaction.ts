import { addToRequestContext } from '../../logging/context';
import type { EventListenerModule, ListenerDependencies, ListenerRoutes } from '../types';

/** Reacting with SLACK_TIMELINE_EVENT_REACTION to a message in an incident channel puts it on the timeline, once. */
export const timelineReactionListener: EventListenerModule = {
  subscriptions: ['reaction_added'],
  register(routes: ListenerRoutes, deps: ListenerDependencies) {
    routes.event('reaction_added', async ({ event }) => {
      // A skin tone arrives as "name::skin-tone-2"; it is still the same emoji.
      const emoji = event.reaction.split('::')[0];
      if (emoji !== deps.settings.slack.timelineReaction || event.item.type !== 'message') return;
      const incident = await deps.incidents.findByChannel(event.item.channel);
      if (!incident) return;
      addToRequestContext({ incident: incident.name });
      await deps.flows.addMessageToTimeline({
        incident,
        channelId: event.item.channel,
        ts: event.item.ts,
        fallbackAuthorId: event.item_user ?? null,
      });
    });
  },
};
