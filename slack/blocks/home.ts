import type { HomeView, KnownBlock } from '@slack/types';
import type { HomeIncidents } from '../../incidents/incidentService';
import type { WorkspaceLinks } from '../links';
import { incidentList } from './incident';
import { context, divider, plain, section } from './text';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * The App Home tab's incidents: the open ones this person is in first, then the newest other
 * open ones they may see, each list capped, with the counts and how many were left out, so a
 * workspace with thousands of incidents still gets a short, useful tab.
 */
export function homeView(home: HomeIncidents, links: WorkspaceLinks, reportIncidentSlug: string): HomeView {
  const { mine, others, counts } = home;
  const visible = counts.active + counts.stable;
  const summary =
    visible === 0
      ? 'No open incidents.'
      : `${plural(counts.active, 'active incident')}, ${counts.stable} stable${counts.involved > 0 ? ` · you are in ${counts.involved}` : ''}`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Open incidents') },
    context(summary, `Report one with ${reportIncidentSlug} in any channel, or "Report incident" on a message.`),
    divider(),
  ];
  if (visible === 0) {
    blocks.push(section('_No open incidents._ :tada:'));
    return { type: 'home', blocks };
  }
  if (mine.length > 0) {
    blocks.push(section(`*Incidents you are in* (${counts.involved})`), ...incidentList(mine, links));
  }
  if (others.length > 0) {
    blocks.push(section(mine.length > 0 ? '*Other open incidents*' : '*Newest open incidents*'), ...incidentList(others, links));
  }
  if (counts.notShown > 0) {
    blocks.push(
      context(
        `${plural(counts.notShown, 'more open incident')} not listed here: this tab lists the ones you are in, then the newest. Each has its own channel.`,
      ),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
