import type { App } from '@slack/bolt';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import { ListenerRouter } from './routes';
import * as shortcuts from './shortcuts';
import type { ListenerDependencies, ListenerRoutes } from './types';
import * as views from './views';

/** Registers every listener module's routes (the manifest test records them without an app). */
export function registerRoutes(routes: ListenerRoutes, deps: ListenerDependencies): void {
  commands.register(routes, deps);
  shortcuts.register(routes, deps);
  actions.register(routes, deps);
  views.register(routes, deps);
  events.register(routes, deps);
}

/** Wires every listener module to the app: one Bolt listener per surface (see ListenerRouter). */
export function registerListeners(app: App, deps: ListenerDependencies): void {
  const router = new ListenerRouter();
  registerRoutes(router, deps);
  router.mount(app);
}
