import type { ListenerDependencies, ListenerModule, ListenerRoutes } from '../types';
import * as afterCloseButtons from './afterCloseButtons';
import * as incidentButtons from './incidentButtons';
import * as messageButtons from './messageButtons';
import * as oncallOptions from './oncallOptions';
import * as resourceButtons from './resourceButtons';
import * as statusReportButtons from './statusReportButtons';
import * as taskButtons from './taskButtons';
import * as timelineButtons from './timelineButtons';

/** Every button and menu module: one line each. */
const ACTION_MODULES: ListenerModule[] = [
  incidentButtons,
  oncallOptions,
  statusReportButtons,
  taskButtons,
  resourceButtons,
  timelineButtons,
  messageButtons,
  afterCloseButtons,
];

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  for (const module of ACTION_MODULES) module.register(routes, deps);
}
