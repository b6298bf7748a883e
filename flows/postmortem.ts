import { DomainError } from '../incidents/errors';
import { summarizeFeedback } from '../incidents/feedback';
import type { Incident } from '../incidents/model';
import { type PostmortemRecord, postmortemMarkdown } from '../reports/postmortem';
import type { Dependencies } from '../server/dependencies';
import type { UserDirectory } from '../slack/userDirectory';
import type { Store } from '../store';

/** Display names for user ids (Slack profiles in the app; anything in tests). Unknown ids may be left out. */
export type NameResolver = (userIds: string[]) => Promise<Record<string, string>>;

/** Every person a draft names, so their names can be looked up in one go. */
export function peopleIn(record: Omit<PostmortemRecord, 'names'>): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id) ids.add(id);
  };
  add(record.incident.reporterId);
  add(record.incident.commanderId);
  for (const participant of record.participants) add(participant.userId);
  for (const holder of record.roles) add(holder.userId);
  for (const report of record.statusReports) add(report.authorId);
  for (const event of record.timeline) add(event.actorId);
  for (const task of record.tasks) task.assigneeIds.forEach(add);
  for (const followUp of record.followUps) add(followUp.ownerId);
  for (const comment of record.feedback?.comments ?? []) add(comment.authorId);
  return [...ids].sort();
}

/** The record of one incident as the postmortem draft needs it, read from the store. */
export async function loadPostmortemRecord(
  store: Store,
  incident: Incident,
  options: { nameOf: NameResolver; channelUrl: string | null },
): Promise<PostmortemRecord> {
  const [participants, roles, statusReports, timeline, allTasks, followUps, resources, requested, answers] = await Promise.all([
    store.participants.list(incident.id),
    store.participants.currentAssignments(incident.id),
    store.reports.history(incident.id),
    store.timeline.list(incident.id),
    store.tasks.listForIncident(incident.id),
    store.followUps.list({ incidentId: incident.id }),
    store.resources.listForIncident(incident.id),
    store.feedback.requestedUsers(incident.id),
    store.feedback.list(incident.id),
  ]);
  const followUpIds = new Set(followUps.map((followUp) => followUp.id));
  const partial: Omit<PostmortemRecord, 'names'> = {
    incident,
    participants,
    roles,
    statusReports,
    timeline,
    tasks: allTasks.filter((task) => !followUpIds.has(task.id)),
    followUps,
    resources,
    feedback: requested.length > 0 || answers.length > 0 ? summarizeFeedback(requested.length, answers) : null,
    channelUrl: options.channelUrl,
  };
  return { ...partial, names: await options.nameOf(peopleIn(partial)) };
}

/** The draft's file name: dispatch-42-postmortem.md */
export const postmortemFileName = (incident: Incident): string => `${incident.name}-postmortem.md`;

/** Loads and renders the draft of one incident. */
export async function buildPostmortem(
  store: Store,
  incident: Incident,
  options: { nameOf: NameResolver; channelUrl: string | null },
): Promise<string> {
  return postmortemMarkdown(await loadPostmortemRecord(store, incident, options));
}

type PostmortemDeps = Pick<Dependencies, 'store' | 'users' | 'links' | 'gateway' | 'logger'>;

/** Names for a draft from Slack profiles (real name first); someone Slack cannot find keeps the id. */
export function slackNames(users: Pick<UserDirectory, 'profiles'>): NameResolver {
  return async (userIds) => {
    const profiles = await users.profiles(userIds);
    const names: Record<string, string> = {};
    for (const [userId, profile] of profiles) if (profile) names[userId] = profile.realName || profile.displayName || userId;
    return names;
  };
}

/** Builds the draft and uploads it to the incident's channel as a Markdown file. Returns the file id. */
export async function uploadPostmortem(deps: PostmortemDeps, incident: Incident, requestedBy: string | null): Promise<string | null> {
  if (!incident.channelId) throw new DomainError(`${incident.name} has no channel to post the postmortem draft in.`, 'no_channel');
  const markdown = await buildPostmortem(deps.store, incident, {
    nameOf: slackNames(deps.users),
    channelUrl: deps.links.channel(incident.channelId),
  });
  const who = requestedBy ? ` for <@${requestedBy}>` : '';
  const fileId = await deps.gateway.uploadFile(incident.channelId, {
    filename: postmortemFileName(incident),
    title: `Postmortem draft: ${incident.name}`,
    content: markdown,
    initialComment: `:page_facing_up: The postmortem draft of ${incident.name}, written from the record${who}. Download it, fill in root cause, what went well and what to change, and share it.`,
  });
  deps.logger.info('postmortem draft uploaded', { incident: incident.name, fileId });
  return fileId;
}

/** Work kind: upload the draft once an incident is closed (retried with backoff by the work queue). */
export const POSTMORTEM_UPLOAD_WORK = 'postmortem.upload';
