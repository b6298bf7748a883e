import type { KnownBlock, ModalView } from '@slack/types';
import type { Incident, Resource } from '../../incidents/model';
import { ADDABLE_RESOURCE_KINDS, RESOURCE_KIND_LABELS, RESOURCE_LIMITS } from '../../incidents/resources';
import type { WorkspaceLinks } from '../links';
import { ACTIONS, VIEWS } from './ids';
import { modal, option, selectInput, textInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, LIMITS, link, mention, plain, section, slackDate } from './text';

/** What the resource form remembers: the incident and the list to refresh. */
export interface ResourceFormMetadata {
  incidentId: number;
  listResponseUrl?: string;
}

export function isResourceFormMetadata(value: unknown): value is ResourceFormMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    Number.isInteger(candidate.incidentId) && (candidate.listResponseUrl === undefined || typeof candidate.listResponseUrl === 'string')
  );
}

/** Heading, channel, overflow note and the "Add resource" button. */
const FRAME_BLOCKS = 4;

function resourceLine(resource: Resource): KnownBlock {
  const added = resource.addedBy
    ? `added by ${mention(resource.addedBy)} ${slackDate(resource.createdAt, '{ago}')}`
    : 'attached at report time';
  return section(`*${RESOURCE_KIND_LABELS[resource.kind]}*: ${link(resource.url, resource.title)}\n${added}`);
}

/** The incident's channel and every link attached to it, with "Add resource". */
export function resourceListMessage(incident: Incident, resources: Resource[], links: WorkspaceLinks): SlackMessage {
  const blocks: KnownBlock[] = [section(`:link: *Resources of ${escapeText(incident.name)}*`)];
  if (incident.channelId) {
    blocks.push(
      section(`*${RESOURCE_KIND_LABELS.channel}*: ${link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)}`),
    );
  }
  const room = LIMITS.messageBlocks - FRAME_BLOCKS;
  blocks.push(...resources.slice(0, room).map(resourceLine));
  if (resources.length === 0) blocks.push(context('No documents, tickets, conferences or dashboards yet.'));
  if (resources.length > room) blocks.push(context(`${resources.length - room} more resources are not shown.`));
  blocks.push({
    type: 'actions',
    block_id: 'resource_list_actions',
    elements: [{ type: 'button', text: plain('Add resource'), action_id: ACTIONS.addResource, value: String(incident.id) }],
  });
  return { text: `Resources of ${incident.name}`, blocks };
}

/** The resource form: kind, title and link (http or https only, checked when submitted). */
export function addResourceModal(incident: Incident, metadata: ResourceFormMetadata): ModalView {
  return modal({
    callbackId: VIEWS.addResource,
    title: 'Add resource',
    submit: 'Add',
    privateMetadata: metadata,
    blocks: [
      context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}`),
      selectInput(
        'kind',
        'Kind',
        ADDABLE_RESOURCE_KINDS.map((kind) => option(kind, RESOURCE_KIND_LABELS[kind])),
        { initial: 'document' },
      ),
      textInput('title', 'Title', { maxLength: RESOURCE_LIMITS.title, placeholder: 'e.g. Incident document' }),
      textInput('url', 'Link', { maxLength: RESOURCE_LIMITS.url, placeholder: 'https://…' }),
    ],
  });
}

/** Confirms a resource to whoever added it (when there is no list to update). */
export function resourceAddedNotice(incident: Incident, resource: Resource): SlackMessage {
  return {
    text: `Resource added to ${incident.name}`,
    blocks: [section(`:link: Added to *${escapeText(incident.name)}*: ${link(resource.url, resource.title)}`)],
  };
}
