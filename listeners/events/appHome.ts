import type { EventListenerModule, ListenerDependencies, ListenerRoutes } from '../types';

/** The App Home tab lists the open incidents the person may see. */
export const appHomeListener: EventListenerModule = {
  subscriptions: ['app_home_opened'],
  register(routes: ListenerRoutes, deps: ListenerDependencies) {
    routes.event('app_home_opened', async ({ event }) => {
      if (event.tab !== 'home') return;
      await deps.flows.showHome({ userId: event.user });
    });
  },
};
