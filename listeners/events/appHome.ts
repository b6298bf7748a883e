import type { App } from '@slack/bolt';
import { publishHome } from '../../flows/home';
import type { Dependencies } from '../../server/dependencies';
import type { EventListenerModule } from '../types';

/** The App Home tab: open incidents, the person's tasks and follow-ups, feedback, metrics. */
export const appHomeListener: EventListenerModule = {
  subscriptions: ['app_home_opened'],
  register(app: App, deps: Dependencies) {
    app.event('app_home_opened', async ({ event }) => {
      if (event.tab !== 'home') return;
      await publishHome(deps, event.user);
    });
  },
};
