import type { KnownBlock, ModalView } from '@slack/types';
import { FIELD_LIMITS, STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import { VIEWS } from './ids';
import { modal, option, selectInput, textInput, userInput } from './inputs';
import { context, escapeText, truncate } from './text';

export interface IncidentChoices {
  types: readonly string[];
  priorities: readonly string[];
  defaultPriority: string;
}

export interface ReportMetadata {
  /** Where the command or shortcut was used; not where anything is posted. */
  originChannelId?: string;
}

const visibilityOptions = [
  option('open', 'Open: announced, anyone can join'),
  option('restricted', 'Restricted: never announced, invite only'),
];

/**
 * The report form; the title comes prefilled from the command's text, the description from a
 * message. `extraBlocks` are inputs other features add at the end (the on-call choice).
 */
export function reportIncidentModal(
  choices: IncidentChoices,
  prefill: { title?: string; description?: string },
  metadata: ReportMetadata,
  extraBlocks: KnownBlock[] = [],
): ModalView {
  return modal({
    callbackId: VIEWS.report,
    title: 'Report incident',
    submit: 'Report',
    privateMetadata: metadata,
    blocks: [
      textInput('title', 'Title', {
        initial: prefill.title ? truncate(prefill.title, FIELD_LIMITS.title) : undefined,
        maxLength: FIELD_LIMITS.title,
        placeholder: 'What is happening, in a few words',
      }),
      textInput('description', 'Description', {
        initial: prefill.description ? truncate(prefill.description, FIELD_LIMITS.description) : undefined,
        multiline: true,
        maxLength: FIELD_LIMITS.description,
        placeholder: 'What you see, since when, who is affected',
      }),
      selectInput('type', 'Type', [...choices.types], { initial: choices.types[0] }),
      selectInput('priority', 'Priority', [...choices.priorities], { initial: choices.defaultPriority }),
      selectInput('visibility', 'Visibility', visibilityOptions, { initial: 'open' }),
      userInput('commander', 'Incident Commander', { optional: true, hint: 'Leave empty to lead it yourself.' }),
      ...extraBlocks,
    ],
  });
}

export interface IncidentMetadata {
  incidentId: number;
}

/** The edit form, prefilled with the incident as it is now. */
export function editIncidentModal(incident: Incident, choices: IncidentChoices): ModalView {
  const typeChoices = choices.types.includes(incident.type) ? [...choices.types] : [incident.type, ...choices.types];
  const priorityChoices = choices.priorities.includes(incident.priority)
    ? [...choices.priorities]
    : [incident.priority, ...choices.priorities];
  return modal({
    callbackId: VIEWS.edit,
    title: `Edit ${incident.name}`,
    submit: 'Save',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks: [
      textInput('title', 'Title', { initial: incident.title, maxLength: FIELD_LIMITS.title }),
      textInput('description', 'Description', { initial: incident.description, multiline: true, maxLength: FIELD_LIMITS.description }),
      textInput('resolution', 'Resolution', {
        initial: incident.resolution,
        multiline: true,
        optional: true,
        maxLength: FIELD_LIMITS.resolution,
        hint: 'Needed to close the incident.',
      }),
      selectInput('type', 'Type', typeChoices, { initial: incident.type }),
      selectInput('priority', 'Priority', priorityChoices, { initial: incident.priority }),
      selectInput('visibility', 'Visibility', visibilityOptions, { initial: incident.visibility }),
      selectInput(
        'status',
        'Status',
        (['active', 'stable', 'closed'] as const).map((status) => option(status, STATUS_LABELS[status])),
        { initial: incident.status },
      ),
    ],
  });
}

/** Asked when closing an incident that has no resolution yet. */
export function resolutionModal(incident: Incident): ModalView {
  return modal({
    callbackId: VIEWS.resolution,
    title: `Close ${incident.name}`,
    submit: 'Close incident',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks: [
      context(`*${escapeText(incident.title)}*`),
      textInput('resolution', 'Resolution', {
        multiline: true,
        maxLength: FIELD_LIMITS.resolution,
        placeholder: 'What fixed it, and what follows up',
      }),
    ],
  });
}
