import type { Incident, Resource } from '../incidents/model';
import type { NewResource } from '../incidents/resources';
import { noticeMessage } from '../slack/blocks/feedback';
import type { SlackMessage } from '../slack/blocks/message';
import { addResourceModal, type ResourceFormMetadata, resourceAddedNotice, resourceListMessage } from '../slack/blocks/resources';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';
import { type Reply, redrawnInPlace } from './reply';

type ResourceListDependencies = Pick<FlowDependencies, 'resources' | 'gateway' | 'links'>;
type BookmarkDependencies = Pick<FlowDependencies, 'gateway'>;

/** Shows the resource list through a response_url; `replace` updates the list it belongs to in place. */
export async function showResourceList(
  deps: ResourceListDependencies,
  incident: Incident,
  responseUrl: string,
  replace: boolean,
): Promise<void> {
  await deps.gateway.respond(responseUrl, { ...(await resourceList(deps, incident)), replaceOriginal: replace });
}

/** The resource list as a message: one query, so the list command answers with it in its ack. */
export async function resourceList(deps: Pick<FlowDependencies, 'resources' | 'links'>, incident: Incident): Promise<SlackMessage> {
  return resourceListMessage(incident, await deps.resources.list(incident.id), deps.links);
}

export async function openResourceForm(
  deps: Pick<FlowDependencies, 'gateway'>,
  request: { triggerId: string; incident: Incident; listResponseUrl?: string },
): Promise<void> {
  const { incident, listResponseUrl } = request;
  const metadata: ResourceFormMetadata = { incidentId: incident.id, ...(listResponseUrl ? { listResponseUrl } : {}) };
  await deps.gateway.openView(request.triggerId, addResourceModal(incident, metadata));
}

/**
 * Bookmarks resources in the incident channel, each link once (a retried setup does not add
 * it again). The resources are recorded before this runs, so a failure here loses none of them.
 */
export async function bookmarkResources(deps: BookmarkDependencies, incident: Incident, resources: Resource[]): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId || resources.length === 0) return;
  const bookmarked = new Set(await deps.gateway.bookmarkLinks(channelId));
  for (const resource of resources) {
    if (bookmarked.has(resource.url)) continue;
    await deps.gateway.addBookmark(channelId, resource.title, resource.url);
    bookmarked.add(resource.url);
  }
}

/** A setup step: attaches the INCIDENT_*_URL_TEMPLATE resources to a new incident and bookmarks them. */
export async function attachTemplatedResources(deps: Pick<FlowDependencies, 'resources' | 'gateway'>, incident: Incident): Promise<void> {
  const resources = await deps.resources.attachFromTemplates(incident);
  await bookmarkResources(deps, incident, resources);
}

/** Records the resource, bookmarks it, then refreshes the list it was added from (or confirms privately). */
export async function addResource(
  deps: ResourceListDependencies & Pick<FlowDependencies, 'incidents' | 'logger'>,
  request: { incidentId: number; input: NewResource; actorId: string; listResponseUrl?: string; reply: Reply },
): Promise<void> {
  const resource = await deps.resources.add(request.incidentId, request.input, request.actorId);
  const incident = await deps.incidents.require(request.incidentId);
  let bookmarkProblem: string | undefined;
  try {
    await bookmarkResources(deps, incident, [resource]);
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    deps.logger.warn('could not bookmark a resource', { slackError: error.slackCode });
    bookmarkProblem = error.plainWords;
  }
  const listResponseUrl = request.listResponseUrl;
  const listUpdated =
    listResponseUrl !== undefined && (await redrawnInPlace(() => showResourceList(deps, incident, listResponseUrl, true)));
  if (!listUpdated) await request.reply(resourceAddedNotice(incident, resource));
  if (bookmarkProblem) {
    await request.reply(noticeMessage(`The resource is recorded, but bookmarking it in the channel failed: ${bookmarkProblem}.`));
  }
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { showResourceList, resourceList, openResourceForm, addResource };
