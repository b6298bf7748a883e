import type { App } from '@slack/bolt';
import type { Dependencies } from '../server/dependencies';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as shortcuts from './shortcuts';
import * as views from './views';

/** Wires every listener module to the app. */
export function registerListeners(app: App, deps: Dependencies): void {
  commands.register(app, deps);
  shortcuts.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  events.register(app, deps);
}
