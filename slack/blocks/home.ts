import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/model';
import type { WorkspaceLinks } from '../links';
import { incidentList } from './incident';
import { context, divider, plain } from './text';

/** The App Home tab: the open incidents this person may see, and how to report one. */
export function homeView(incidents: Incident[], links: WorkspaceLinks, reportIncidentSlug: string): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Open incidents') },
    context(`Report one with ${reportIncidentSlug} in any channel, or "Report incident" on a message.`),
    divider(),
    ...incidentList(incidents, links),
  ];
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
