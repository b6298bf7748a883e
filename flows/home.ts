import type { Incident } from '../incidents/model';
import { homeView } from '../slack/blocks/home';
import type { FlowDependencies } from './dependencies';

/** How many open incidents the Home tab lists. */
const HOME_INCIDENT_LIMIT = 30;

/** Publishes the person's App Home tab: the open incidents they may see (restricted ones only to those taking part). */
export async function showHome(
  deps: Pick<FlowDependencies, 'incidents' | 'participants' | 'gateway' | 'links' | 'settings'>,
  request: { userId: string },
): Promise<void> {
  const visible: Incident[] = [];
  for (const incident of await deps.incidents.listOpen(HOME_INCIDENT_LIMIT)) {
    if (await deps.participants.maySee(incident, request.userId)) visible.push(incident);
  }
  await deps.gateway.publishHome(request.userId, homeView(visible, deps.links, deps.settings.commands.reportIncident));
}
