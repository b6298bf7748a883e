import { type Incident, ROLES, type Role } from '../incidents/model';
import { type CatchUpFacts, catchUpMessage, welcomeMessage } from '../slack/blocks/catchUp';
import type { FlowDependencies } from './dependencies';
import type { Reply } from './reply';

type CatchUpDependencies = Pick<FlowDependencies, 'clock' | 'participants' | 'reports' | 'timeline' | 'tasks' | 'resources'>;
export type WelcomeDependencies = CatchUpDependencies & Pick<FlowDependencies, 'gateway' | 'settings'>;

/** When the incident entered its status: the stable/closed times, or the last status change (a reopen). */
function statusSince(incident: Incident, lastStatusChange: Date | undefined): Date {
  if (incident.status === 'closed' && incident.closedAt) return incident.closedAt;
  if (incident.status === 'stable' && incident.stableAt) return incident.stableAt;
  return lastStatusChange ?? incident.reportedAt;
}

/** Everything a catch-up shows, read from the record. */
export async function catchUpFacts(deps: CatchUpDependencies, incident: Incident): Promise<CatchUpFacts> {
  const [holders, latestReport, events, tasks, resources] = await Promise.all([
    deps.participants.roleHolders(incident.id),
    deps.reports.latest(incident.id),
    deps.timeline.list(incident.id),
    deps.tasks.list(incident.id),
    deps.resources.list(incident.id),
  ]);
  const lastStatusChange = [...events].reverse().find((event) => event.kind === 'status')?.occurredAt;
  return {
    incident,
    now: deps.clock.now(),
    statusSince: statusSince(incident, lastStatusChange),
    holders,
    latestReport: latestReport ?? null,
    recentEvents: events.slice(-5),
    openTasks: tasks.filter((task) => task.status === 'open'),
    resources,
  };
}

/** `/dispatch catchup` and "Catch me up": privately, to whoever asked. */
export async function sendCatchUp(deps: CatchUpDependencies, request: { incident: Incident; reply: Reply }): Promise<void> {
  await request.reply(catchUpMessage(await catchUpFacts(deps, request.incident)));
}

/** Two or three things worth doing first, for this person's roles and the incident's state. */
export function nextActions(settings: FlowDependencies['settings'], roles: Role[], facts: CatchUpFacts): string[] {
  const root = settings.commands.dispatch;
  const { incident } = facts;
  if (incident.status === 'closed') return [`Read the resolution above; reopen with \`${root} active\` if it is back.`];
  const actions: string[] = [];
  if (roles.includes('commander')) {
    actions.push(`Post a status report: \`${root} update\``);
    actions.push(`Hand out roles: \`${root} role\``);
    actions.push(
      incident.status === 'active' ? `Mark it stable once mitigated: \`${root} stable\`` : `Close it when resolved: \`${root} close\``,
    );
    return actions;
  }
  if (roles.includes('scribe')) actions.push(`Mark key messages for the timeline with :${settings.slack.timelineReaction}:`);
  if (roles.includes('liaison')) actions.push('Share the latest status report with the people you speak for.');
  actions.push('Say in the channel what you are looking at, so work is not done twice.');
  if (facts.openTasks.some((task) => task.assigneeIds.length === 0)) actions.push(`Pick up an open task: \`${root} tasks\``);
  actions.push(`Catch up again any time: \`${root} catchup\``);
  return actions.slice(0, 3);
}

/**
 * Someone joined the incident channel: privately, within seconds, their first join gets the
 * welcome (which is the catch-up plus their role and first steps), a later one the catch-up.
 */
export async function greetArrival(deps: WelcomeDependencies, incident: Incident, userId: string, firstJoin: boolean): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId) return;
  const facts = await catchUpFacts(deps, incident);
  if (!firstJoin) {
    await deps.gateway.postEphemeral(channelId, userId, catchUpMessage(facts));
    return;
  }
  const roles = ROLES.filter((role) => facts.holders[role].includes(userId));
  const message = welcomeMessage(facts, { userId, roles, nextActions: nextActions(deps.settings, roles, facts) });
  await deps.gateway.postEphemeral(channelId, userId, message);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { sendCatchUp };
