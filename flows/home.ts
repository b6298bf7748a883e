import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../incidents/model';
import type { Dependencies } from '../server/dependencies';
import { type MyFollowUp, type MyTask, metricsBlocks, myWorkBlocks } from '../slack/blocks/homeSections';
import { incidentList } from '../slack/blocks/incident';
import { feedbackSummaryBlocks } from '../slack/blocks/responderFeedback';
import { context, divider, plain } from '../slack/blocks/text';
import { homeMetrics } from './metrics';
import { maySee } from './visibility';

/** Feedback summaries are shown for incidents closed within this long. */
const FEEDBACK_SHOWN_FOR_MS = 30 * 86_400_000;
const HOME_BLOCK_LIMIT = 100;

async function visibleTo(deps: Dependencies, userId: string, incidents: Incident[]): Promise<Incident[]> {
  const visible: Incident[] = [];
  for (const incident of incidents) if (await maySee(deps.store, incident, userId)) visible.push(incident);
  return visible;
}

async function myWork(deps: Dependencies, userId: string): Promise<{ tasks: MyTask[]; followUps: MyFollowUp[] }> {
  const [openTasks, openFollowUps] = await Promise.all([deps.store.tasks.openAssignedTo(userId), deps.followUps.openFor(userId)]);
  const followUpIds = new Set(openFollowUps.map((followUp) => followUp.id));
  const incidentsById = new Map<number, Incident>();
  const incidentOf = async (incidentId: number) => {
    if (!incidentsById.has(incidentId)) {
      const incident = await deps.incidents.get(incidentId);
      if (incident) incidentsById.set(incidentId, incident);
    }
    return incidentsById.get(incidentId);
  };
  const tasks: MyTask[] = [];
  for (const task of openTasks) {
    const incident = await incidentOf(task.incidentId);
    // Tasks are for the incident at hand; once it is closed only follow-ups carry on.
    if (incident && incident.status !== 'closed' && !followUpIds.has(task.id)) tasks.push({ task, incident });
  }
  const followUps: MyFollowUp[] = [];
  for (const followUp of openFollowUps) {
    const incident = await incidentOf(followUp.incidentId);
    if (incident) followUps.push({ followUp, incident, overdue: deps.followUps.isOverdue(followUp) });
  }
  return { tasks, followUps };
}

/** The commander of a recently closed incident, and every admin, see its feedback. */
async function feedbackBlocks(deps: Dependencies, userId: string): Promise<KnownBlock[]> {
  const now = deps.clock.now();
  const isAdmin = deps.settings.afterClose.admins.includes(userId);
  const blocks: KnownBlock[] = [];
  const closed = await deps.store.metrics.closedBetween(new Date(now.getTime() - FEEDBACK_SHOWN_FOR_MS), now);
  for (const incidentId of closed.reverse()) {
    const incident = await deps.incidents.get(incidentId);
    if (!incident || !(isAdmin || incident.commanderId === userId)) continue;
    const summary = await deps.feedback.summary(incident.id);
    if (summary.asked === 0) continue;
    blocks.push(...feedbackSummaryBlocks(incident, summary));
    if (blocks.length >= 5) break;
  }
  return blocks.length > 0 ? [{ type: 'header', text: plain('Feedback on closed incidents') }, ...blocks] : [];
}

/**
 * The Home tab: open incidents the person may see, their open tasks and follow-ups (with done
 * buttons), feedback for commanders and admins, and the metrics (a chart when Slack can fetch it).
 */
export async function homeView(deps: Dependencies, userId: string): Promise<HomeView> {
  const [open, work, feedback, metrics] = await Promise.all([
    deps.incidents.listOpen(30).then((incidents) => visibleTo(deps, userId, incidents)),
    myWork(deps, userId),
    feedbackBlocks(deps, userId),
    homeMetrics(deps, userId),
  ]);
  const chartUrl = deps.chartLinks ? deps.chartLinks.urlFor(userId, deps.clock.now()) : null;
  const after: KnownBlock[] = [
    divider(),
    ...myWorkBlocks(work.tasks, work.followUps, deps.links),
    ...(feedback.length > 0 ? [divider(), ...feedback] : []),
    divider(),
    ...metricsBlocks(metrics, chartUrl),
  ];
  const head: KnownBlock[] = [
    { type: 'header', text: plain('Open incidents') },
    context(`Report one with ${deps.settings.commands.reportIncident} in any channel, or "Report incident" on a message.`),
    divider(),
  ];
  const room = HOME_BLOCK_LIMIT - head.length - after.length;
  const list = incidentList(open, deps.links);
  const shown = list.length > room ? [...list.slice(0, Math.max(0, room - 1)), context(`${list.length - room + 1} more not shown.`)] : list;
  return { type: 'home', blocks: [...head, ...shown, ...after].slice(0, HOME_BLOCK_LIMIT) };
}

export async function publishHome(deps: Dependencies, userId: string): Promise<void> {
  await deps.gateway.publishHome(userId, await homeView(deps, userId));
}
