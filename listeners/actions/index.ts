import type { App } from '@slack/bolt';
import type { Dependencies } from '../../server/dependencies';
import * as incidentButtons from './incidentButtons';
import * as messageButtons from './messageButtons';
import * as oncallOptions from './oncallOptions';
import * as resourceButtons from './resourceButtons';
import * as statusReportButtons from './statusReportButtons';
import * as taskButtons from './taskButtons';
import * as timelineButtons from './timelineButtons';

/** Every button and menu module: one line each. */
const ACTION_MODULES: Array<{ register(app: App, deps: Dependencies): void }> = [
  incidentButtons,
  oncallOptions,
  statusReportButtons,
  taskButtons,
  resourceButtons,
  timelineButtons,
  messageButtons,
];

export function register(app: App, deps: Dependencies): void {
  for (const module of ACTION_MODULES) module.register(app, deps);
}
