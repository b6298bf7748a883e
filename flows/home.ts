import type { KnownBlock } from '@slack/types';
import type { Incident } from '../incidents/model';
import { homeView } from '../slack/blocks/home';
import { type MyFollowUp, type MyTask, metricsBlocks, myWorkBlocks } from '../slack/blocks/homeSections';
import { feedbackSummaryBlocks } from '../slack/blocks/responderFeedback';
import { divider, plain } from '../slack/blocks/text';
import type { FlowDependencies } from './dependencies';

/** Feedback summaries are shown for incidents closed within this long. */
const FEEDBACK_SHOWN_FOR_MS = 30 * 86_400_000;
/** At most this many closed incidents' feedback (each one block or more; the section stops at five). */
const FEEDBACK_INCIDENTS_SHOWN = 5;

type HomeDependencies = Pick<
  FlowDependencies,
  'incidents' | 'gateway' | 'links' | 'settings' | 'clock' | 'followUps' | 'feedback' | 'metrics' | 'records' | 'chartLinks'
>;

async function myWork(deps: HomeDependencies, userId: string): Promise<{ tasks: MyTask[]; followUps: MyFollowUp[] }> {
  const [openTasks, openFollowUps] = await Promise.all([deps.records.openTasksOf(userId), deps.followUps.openFor(userId)]);
  const followUpIds = new Set(openFollowUps.map((followUp) => followUp.id));
  const incidents = new Map<number, Incident | undefined>();
  const incidentOf = async (incidentId: number) => {
    if (!incidents.has(incidentId)) incidents.set(incidentId, await deps.incidents.get(incidentId));
    return incidents.get(incidentId);
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

/** The commander of a recently closed incident, and every admin (DISPATCH_ADMINS), see its feedback. */
async function feedbackBlocks(deps: HomeDependencies, userId: string): Promise<KnownBlock[]> {
  const isAdmin = deps.settings.afterClose.admins.includes(userId);
  const blocks: KnownBlock[] = [];
  // Only incidents that asked for feedback, and only theirs unless an admin: at most a few reads.
  for (const incidentId of await deps.metrics.closedWithFeedback(
    FEEDBACK_SHOWN_FOR_MS,
    isAdmin ? null : userId,
    FEEDBACK_INCIDENTS_SHOWN,
  )) {
    const incident = await deps.incidents.get(incidentId);
    if (!incident) continue;
    const summary = await deps.feedback.summary(incident.id);
    if (summary.asked === 0) continue;
    blocks.push(...feedbackSummaryBlocks(incident, summary));
    if (blocks.length >= 5) break;
  }
  return blocks.length > 0 ? [{ type: 'header', text: plain('Feedback on closed incidents') }, ...blocks] : [];
}

/**
 * Publishes the person's App Home tab: the open incidents they are in, then the newest others
 * they may see (restricted ones only to those taking part), capped and counted; their open
 * tasks and follow-ups with done buttons, feedback for commanders and admins, and the metrics
 * (a chart when Slack can fetch it, a table otherwise). Every read is bounded by a LIMIT or by
 * the person's own work, however many incidents are stored.
 */
export async function showHome(deps: HomeDependencies, request: { userId: string }): Promise<void> {
  const { userId } = request;
  const [incidents, work, feedback, metrics] = await Promise.all([
    deps.incidents.homeIncidents(userId),
    myWork(deps, userId),
    feedbackBlocks(deps, userId),
    deps.metrics.recentFor(userId),
  ]);
  const chartUrl = deps.chartLinks ? deps.chartLinks.urlFor(userId, deps.clock.now()) : null;
  const sections: KnownBlock[] = [
    divider(),
    ...myWorkBlocks(work.tasks, work.followUps, deps.links),
    ...(feedback.length > 0 ? [divider(), ...feedback] : []),
    divider(),
    ...metricsBlocks(metrics, chartUrl),
  ];
  const view = homeView(incidents, deps.links, deps.settings.commands.reportIncident);
  // Slack's limit is 100 blocks: the open incidents give way, the person's own sections stay whole.
  const incidentBlocks = view.blocks.slice(0, Math.max(3, 100 - sections.length));
  await deps.gateway.publishHome(userId, { ...view, blocks: [...incidentBlocks, ...sections] });
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { showHome };
