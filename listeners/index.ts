import type { App } from '@slack/bolt';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as shortcuts from './shortcuts';
import type { ListenerDependencies } from './types';
import * as views from './views';

/** Wires every listener module to the app. */
export function registerListeners(app: App, deps: ListenerDependencies): void {
  commands.register(app, deps);
  shortcuts.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  events.register(app, deps);
}
