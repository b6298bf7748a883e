import { DomainError } from '../incidents/errors';
import type { Incident } from '../incidents/model';
import { type IncidentRecords, peopleIn } from '../incidents/record';
import { postmortemMarkdown } from '../reports/postmortem';
import type { UserDirectory } from '../slack/userDirectory';
import type { FlowDependencies } from './dependencies';

/** Display names for user ids (Slack profiles in the app; anything in tests). Unknown ids may be left out. */
export type NameResolver = (userIds: string[]) => Promise<Record<string, string>>;

/** The draft's file name: dispatch-42-postmortem.md */
export const postmortemFileName = (incident: Incident): string => `${incident.name}-postmortem.md`;

/** Loads the incident's record and renders the draft: the same record gives the same document. */
export async function buildPostmortem(
  records: Pick<IncidentRecords, 'load'>,
  incident: Incident,
  options: { nameOf: NameResolver; channelUrl: string | null },
): Promise<string> {
  const record = await records.load(incident);
  return postmortemMarkdown({ ...record, names: await options.nameOf(peopleIn(record)), channelUrl: options.channelUrl });
}

/** Names for a draft from Slack profiles (real name first); someone Slack cannot find keeps the id. */
export function slackNames(users: Pick<UserDirectory, 'profiles'>): NameResolver {
  return async (userIds) => {
    const profiles = await users.profiles(userIds);
    const names: Record<string, string> = {};
    for (const [userId, profile] of profiles) if (profile) names[userId] = profile.realName || profile.displayName || userId;
    return names;
  };
}

export type PostmortemDependencies = Pick<FlowDependencies, 'records' | 'users' | 'links' | 'gateway' | 'logger'>;

/** Builds the draft and uploads it to the incident's channel as a Markdown file. Returns the file id. */
export async function uploadPostmortem(
  deps: PostmortemDependencies,
  request: { incident: Incident; requestedBy: string | null },
): Promise<string | null> {
  const { incident, requestedBy } = request;
  if (!incident.channelId) throw new DomainError(`${incident.name} has no channel to post the postmortem draft in.`, 'no_channel');
  const markdown = await buildPostmortem(deps.records, incident, {
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

/** From the summary button or `/dispatch postmortem`: the draft as the record stands now. */
export async function postPostmortem(
  deps: PostmortemDependencies & Pick<FlowDependencies, 'incidents'>,
  request: { incidentId: number; actorId: string },
): Promise<void> {
  const incident = await deps.incidents.require(request.incidentId);
  await uploadPostmortem(deps, { incident, requestedBy: request.actorId });
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { postPostmortem };
