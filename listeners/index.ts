import type { App } from '@slack/bolt';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import { ListenerRouter } from './routes';
import * as shortcuts from './shortcuts';
import type { ListenerDependencies, ListenerRoutes } from './types';
import * as views from './views';

/** The routes of requests Slack waits on: commands, shortcuts, buttons, forms and menus. */
function registerRequestRoutes(routes: ListenerRoutes, deps: ListenerDependencies): void {
  commands.register(routes, deps);
  shortcuts.register(routes, deps);
  actions.register(routes, deps);
  views.register(routes, deps);
}

/** Registers every listener module's routes (the manifest test records them without an app). */
export function registerRoutes(routes: ListenerRoutes, deps: ListenerDependencies): void {
  registerRequestRoutes(routes, deps);
  events.register(routes, deps);
}

/** Wires the request listeners to the app: one Bolt listener per surface (see ListenerRouter). */
export function registerRequestListeners(app: App, deps: ListenerDependencies): void {
  const router = new ListenerRouter();
  registerRequestRoutes(router, deps);
  router.mount(app);
}

/** The Events API listeners, which run stored events (ListenerRouter.dispatchEvent). */
export function eventListeners(deps: ListenerDependencies): ListenerRouter {
  const router = new ListenerRouter();
  events.register(router, deps);
  return router;
}
