import { attachTemplatedResources } from '../listeners/useCases/resources';
import { statusReportButton } from '../slack/blocks/statusReport';
import { timelineButton } from '../slack/blocks/timeline';
import type { IncidentPresence } from '../slack/presence';
import type { Dependencies } from './dependencies';

/**
 * What status reports, resources and the timeline add to every incident's Slack presence:
 * "Status report" and "Timeline" on the pinned summary, and the templated links at setup.
 */
export function registerIncidentWorkExtensions(presence: IncidentPresence, deps: Dependencies): void {
  presence.addSummaryButtons((incident) => [
    ...(incident.status === 'closed' ? [] : [statusReportButton(incident)]),
    timelineButton(incident),
  ]);
  presence.addSetupStep({
    name: 'Attaching the links from the URL templates',
    run: (incident) => attachTemplatedResources(deps, incident),
  });
}
