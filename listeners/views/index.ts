import type { ListenerDependencies, ListenerModule, ListenerRoutes } from '../types';
import * as afterCloseViews from './afterCloseViews';
import * as incidentViews from './incidentViews';
import * as oncallViews from './oncallViews';
import * as participantViews from './participantViews';
import * as resourceViews from './resourceViews';
import * as statusReportViews from './statusReportViews';
import * as taskViews from './taskViews';

/** Every modal submission module: one line each. */
const VIEW_MODULES: ListenerModule[] = [
  incidentViews,
  participantViews,
  oncallViews,
  statusReportViews,
  taskViews,
  resourceViews,
  afterCloseViews,
];

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  for (const module of VIEW_MODULES) module.register(routes, deps);
}
