import type { App } from '@slack/bolt';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as shortcuts from './shortcuts';
import type { ListenerDependencies } from './types';
import * as views from './views';

/** Wires the listeners of requests Slack waits on: commands, shortcuts, buttons, forms and menus. */
export function registerRequestListeners(app: App, deps: ListenerDependencies): void {
  commands.register(app, deps);
  shortcuts.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
}

/** Wires the Events API listeners (the app that runs stored events has only these). */
export function registerEventListeners(app: App, deps: ListenerDependencies): void {
  events.register(app, deps);
}

/** Wires every listener module to one app. */
export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerRequestListeners(app, deps);
  registerEventListeners(app, deps);
}
