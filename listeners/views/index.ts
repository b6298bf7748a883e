import type { App } from '@slack/bolt';
import type { Dependencies } from '../../server/dependencies';
import * as incidentViews from './incidentViews';
import * as oncallViews from './oncallViews';
import * as participantViews from './participantViews';

/** Every modal submission module: one line each. */
const VIEW_MODULES: Array<{ register(app: App, deps: Dependencies): void }> = [incidentViews, participantViews, oncallViews];

export function register(app: App, deps: Dependencies): void {
  for (const module of VIEW_MODULES) module.register(app, deps);
}
