import type { App } from '@slack/bolt';
import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/model';
import type { Dependencies } from '../../server/dependencies';
import { incidentList } from '../../slack/blocks/incident';
import { context, divider, plain } from '../../slack/blocks/text';
import type { EventListenerModule } from '../types';

/** Restricted incidents are listed only to people who take part in them. */
async function visibleTo(deps: Dependencies, userId: string, incidents: Incident[]): Promise<Incident[]> {
  const visible: Incident[] = [];
  for (const incident of incidents) {
    if (incident.visibility === 'open') visible.push(incident);
    else if (
      (await deps.store.participants.get(incident.id, userId)) ||
      (await deps.store.participants.currentRoles(incident.id, userId)).length > 0
    ) {
      visible.push(incident);
    }
  }
  return visible;
}

function homeView(incidents: Incident[], deps: Dependencies): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Open incidents') },
    context(`Report one with ${deps.settings.commands.reportIncident} in any channel, or "Report incident" on a message.`),
    divider(),
    ...incidentList(incidents, deps.links),
  ];
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** The App Home tab lists the open incidents the person may see. */
export const appHomeListener: EventListenerModule = {
  subscriptions: ['app_home_opened'],
  register(app: App, deps: Dependencies) {
    app.event('app_home_opened', async ({ event }) => {
      if (event.tab !== 'home') return;
      const incidents = await visibleTo(deps, event.user, await deps.incidents.listOpen(30));
      await deps.gateway.publishHome(event.user, homeView(incidents, deps));
    });
  },
};
