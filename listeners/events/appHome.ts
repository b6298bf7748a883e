import type { App } from '@slack/bolt';
import type { EventListenerModule, ListenerDependencies } from '../types';

/** The App Home tab lists the open incidents the person may see. */
export const appHomeListener: EventListenerModule = {
  subscriptions: ['app_home_opened'],
  register(app: App, deps: ListenerDependencies) {
    app.event('app_home_opened', async ({ event }) => {
      if (event.tab !== 'home') return;
      await deps.flows.showHome({ userId: event.user });
    });
  },
};
