import type { FollowUpChange, NewFollowUp } from '../incidents/followUps';
import type { FollowUp, Incident } from '../incidents/model';
import { noticeMessage, problemMessage } from '../slack/blocks/feedback';
import {
  followUpAssignedMessage,
  followUpDoneMessage,
  followUpModal,
  followUpReminderMessage,
  followUpsAddedNotice,
  makeFollowUpModal,
} from '../slack/blocks/followUps';
import { mention } from '../slack/blocks/text';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';
import type { Reply } from './reply';

export type FollowUpDependencies = Pick<FlowDependencies, 'followUps' | 'incidents' | 'participants' | 'gateway' | 'links' | 'logger'>;

/**
 * The one place new follow-ups pass after they are recorded: their owners are told here, and
 * outbound notifications (the `followup.created` webhook) belong here too.
 */
async function followUpsCreated(deps: FollowUpDependencies, incident: Incident, followUps: FollowUp[]): Promise<string[]> {
  const problems: string[] = [];
  for (const followUp of followUps) {
    if (followUp.ownerId === followUp.creatorId) continue;
    try {
      await deps.gateway.sendDirectMessage(followUp.ownerId, followUpAssignedMessage(incident, followUp, deps.links));
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      problems.push(`${mention(followUp.ownerId)} could not be told (${error.plainWords})`);
    }
  }
  return problems;
}

/**
 * Records follow-ups (from the form, a message, the close form or `/dispatch followup`), DMs
 * each owner a link, and confirms to whoever added them.
 */
export async function addFollowUps(
  deps: FollowUpDependencies,
  request: { inputs: NewFollowUp[]; source?: { channelId: string; ts: string }; reply: Reply },
): Promise<FollowUp[]> {
  if (request.inputs.length === 0) return [];
  const source = request.source;
  const sourceUrl = source
    ? ((await deps.gateway.permalink(source.channelId, source.ts)) ?? deps.links.message(source.channelId, source.ts))
    : null;
  const followUps = await deps.followUps.create(request.inputs.map((input) => ({ ...input, sourceUrl: input.sourceUrl ?? sourceUrl })));
  const incident = await deps.incidents.require(followUps[0].incidentId);
  const problems = await followUpsCreated(deps, incident, followUps);
  await request.reply(followUpsAddedNotice(incident, followUps));
  if (problems.length > 0) await request.reply(noticeMessage(`The follow-ups are recorded, but ${problems.join('; ')}.`));
  return followUps;
}

/** Turns an open task into a follow-up and tells its owner. */
export async function makeTaskAFollowUp(
  deps: FollowUpDependencies,
  request: { taskId: number; ownerId: string; dueOn: string | null; actorId: string; reply: Reply },
): Promise<FollowUp> {
  const followUp = await deps.followUps.fromTask(request.taskId, {
    ownerId: request.ownerId,
    dueOn: request.dueOn,
    actorId: request.actorId,
  });
  const incident = await deps.incidents.require(followUp.incidentId);
  const problems = await followUpsCreated(deps, incident, [followUp]);
  await request.reply(followUpsAddedNotice(incident, [followUp]));
  if (problems.length > 0) await request.reply(noticeMessage(`The follow-up is recorded, but ${problems.join('; ')}.`));
  return followUp;
}

/**
 * Mark done, from the owner's DM or the Home tab: anyone who may see the incident may do it
 * (owners change jobs; the commander tidies up). A second click changes nothing.
 */
export async function markFollowUpDone(
  deps: FollowUpDependencies,
  request: { taskId: number; actorId: string; reply: Reply },
): Promise<{ change: FollowUpChange; incident: Incident } | undefined> {
  const followUp = await deps.followUps.require(request.taskId);
  const incident = await deps.incidents.require(followUp.incidentId);
  if (!(await deps.participants.maySee(incident, request.actorId))) {
    await request.reply(problemMessage(`Only people who take part in ${incident.name} can change its follow-ups.`));
    return undefined;
  }
  const change = await deps.followUps.markDone(request.taskId, request.actorId);
  return { change, incident };
}

export interface FollowUpReminderScan {
  sent: number;
  /** Due but claimed already today (sent earlier, or by another replica). */
  skipped: number;
  failed: number;
}

/** One DM a day to the owner of each overdue follow-up, claimed once across replicas and restarts. */
export async function remindOverdueFollowUps(deps: FollowUpDependencies): Promise<FollowUpReminderScan> {
  const result: FollowUpReminderScan = { sent: 0, skipped: 0, failed: 0 };
  for (const reminder of await deps.followUps.dueReminders()) {
    if (!(await deps.followUps.claimReminder(reminder))) {
      result.skipped += 1;
      continue;
    }
    try {
      await deps.gateway.sendDirectMessage(
        reminder.followUp.ownerId,
        followUpReminderMessage(reminder.incident, reminder.followUp, deps.links),
      );
      result.sent += 1;
      deps.logger.info('overdue follow-up reminded', {
        incident: reminder.incident.name,
        followUp: reminder.followUp.id,
        day: reminder.day,
      });
    } catch (error) {
      await deps.followUps.releaseReminder(reminder);
      result.failed += 1;
      deps.logger.warn('overdue follow-up reminder not sent; the next scan tries again', {
        incident: reminder.incident.name,
        slackError: error instanceof SlackCallError ? error.slackCode : undefined,
      });
    }
  }
  return result;
}

/** The follow-up form (message shortcut, `/dispatch followup`), prefilled with the message or the command's text. */
export async function openFollowUpForm(
  deps: Pick<FlowDependencies, 'gateway'>,
  request: { triggerId: string; incident: Incident; source?: { channelId: string; ts: string }; description?: string },
): Promise<void> {
  await deps.gateway.openView(
    request.triggerId,
    followUpModal(request.incident, { incidentId: request.incident.id, source: request.source }, { description: request.description }),
  );
}

/** "Make a follow-up" on the task list: pick one of the open tasks that is not a follow-up yet. */
export async function openMakeFollowUpForm(
  deps: Pick<FlowDependencies, 'gateway' | 'tasks' | 'followUps'>,
  request: { triggerId: string; incident: Incident; reply: Reply },
): Promise<void> {
  const followUpIds = new Set((await deps.followUps.listForIncident(request.incident.id)).map((followUp) => followUp.id));
  const open = (await deps.tasks.list(request.incident.id)).filter((task) => task.status === 'open' && !followUpIds.has(task.id));
  if (open.length === 0) {
    await request.reply(problemMessage(`${request.incident.name} has no open task that is not a follow-up already.`));
    return;
  }
  await deps.gateway.openView(request.triggerId, makeFollowUpModal(request.incident, open));
}

/**
 * Mark done from the owner's DM (the DM turns into "done") or from the Home tab (redrawn by the
 * caller with showHome).
 */
export async function completeFollowUp(
  deps: FollowUpDependencies,
  request: { taskId: number; actorId: string; responseUrl?: string; reply: Reply },
): Promise<void> {
  const done = await markFollowUpDone(deps, request);
  if (!done || !request.responseUrl) return;
  await deps.gateway.respond(request.responseUrl, {
    ...followUpDoneMessage(done.incident, done.change.followUp, request.actorId),
    replaceOriginal: true,
  });
}

/** Resolve on the Home tab's list of tasks. */
export async function resolveTaskFromHome(
  deps: Pick<FlowDependencies, 'tasks' | 'incidents' | 'participants'>,
  request: { taskId: number; actorId: string; reply: Reply },
): Promise<void> {
  const task = await deps.tasks.require(request.taskId);
  const incident = await deps.incidents.require(task.incidentId);
  if (!(await deps.participants.maySee(incident, request.actorId))) {
    await request.reply(problemMessage(`Only people who take part in ${incident.name} can change its tasks.`));
    return;
  }
  await deps.tasks.resolve(task.id, request.actorId);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openFollowUpForm, addFollowUps, openMakeFollowUpForm, makeTaskAFollowUp, completeFollowUp, resolveTaskFromHome };
