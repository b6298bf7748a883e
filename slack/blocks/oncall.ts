import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import type { OncallService } from '../../oncall/provider';
import type { WorkspaceLinks } from '../links';
import { VIEWS } from './ids';
import type { IncidentMetadata } from './incidentModals';
import { checkboxesInput, externalSelectInput, modal, option, selectInput, textInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, fields, LIMITS, link, mention, section, truncate } from './text';

/** block_ids of the on-call inputs, shared by the engage form and the report form. */
export const ONCALL_FIELDS = {
  service: 'oncall_service',
  note: 'oncall_note',
  options: 'oncall_options',
} as const;

/** Values of the on-call checkboxes. */
export const ONCALL_OPTIONS = { page: 'page', commander: 'commander' } as const;

export const NOTE_MAX_LENGTH = 1000;

/** The service select: every service listed, or (over 100, or a slow provider) searched as the person types. */
export type ServiceChoice = { kind: 'static'; services: OncallService[] } | { kind: 'external' };

/** What the forms need to know about the provider. */
export interface ProviderTraits {
  name: string;
  canPage: boolean;
}

function serviceInput(choice: ServiceChoice, label: string, options: { optional: boolean; hint: string }): InputBlock {
  if (choice.kind === 'external' || choice.services.length > LIMITS.selectOptions) {
    return externalSelectInput(ONCALL_FIELDS.service, label, { ...options, placeholder: 'Type to search services' });
  }
  return selectInput(
    ONCALL_FIELDS.service,
    label,
    choice.services.map((service) => option(service.id, service.name)),
    options,
  );
}

/** Options for the external select (at most 100, as Slack allows). */
export function serviceOptions(services: OncallService[]) {
  return services.slice(0, LIMITS.selectOptions).map((service) => option(service.id, service.name));
}

/** /dispatch-engage-oncall: which service, a note for them, and (when the provider can) whether to page them. */
export function engageOncallModal(incident: Incident, choice: ServiceChoice, provider: ProviderTraits): ModalView {
  const blocks: KnownBlock[] = [
    context(`*${escapeText(incident.name)}*: ${escapeText(truncate(incident.title, 200))}`),
    serviceInput(choice, 'Service', {
      optional: false,
      hint: `Whoever ${provider.name} has on call for it is invited to the channel and gets a DM.`,
    }),
    textInput(ONCALL_FIELDS.note, 'Note for them', {
      optional: true,
      multiline: true,
      maxLength: NOTE_MAX_LENGTH,
      placeholder: 'What you need from them',
    }),
  ];
  if (provider.canPage) {
    blocks.push(checkboxesInput(ONCALL_FIELDS.options, 'Paging', [option(ONCALL_OPTIONS.page, `Page them through ${provider.name}`)]));
  }
  return modal({
    callbackId: VIEWS.engageOncall,
    title: 'Engage on-call',
    submit: 'Engage',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks,
  });
}

/** The on-call part of the report form: an optional service, and whether its on-call leads (and is paged). */
export function reportOncallBlocks(choice: ServiceChoice, provider: ProviderTraits): InputBlock[] {
  const choices = [option(ONCALL_OPTIONS.commander, 'Make them the Incident Commander')];
  if (provider.canPage) choices.push(option(ONCALL_OPTIONS.page, `Page them through ${provider.name}`));
  return [
    serviceInput(choice, 'Engage on-call', {
      optional: true,
      hint: 'Whoever is on call for this service is invited once the channel exists.',
    }),
    checkboxesInput(ONCALL_FIELDS.options, 'On-call', choices),
  ];
}

/**
 * The answer when no provider is set up: what the person can do, in plain words. The setting
 * names are for whoever runs Dispatch: they go to the log (ONCALL_SETUP_HINT) and docs/oncall.md.
 */
export function oncallNotConfiguredText(): string {
  return "On-call isn't set up here — ask whoever runs Dispatch to connect an on-call schedule or PagerDuty.";
}

export interface EngagementReport {
  incident: Incident;
  serviceName: string;
  engaged: string[];
  /** People on call whom Slack does not know (labels from the provider). */
  notInSlack: string[];
  actorId: string;
  note: string | null;
  page: { requested: boolean; sent: boolean; problem?: string; providerName: string };
  newCommander: string | null;
}

function quote(text: string): string {
  return escapeText(truncate(text, 1500))
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

function pageLine(page: EngagementReport['page']): string {
  if (page.sent) return `:pager: They were paged through ${escapeText(page.providerName)}.`;
  if (page.requested) return `:warning: The page did not go out: ${escapeText(page.problem ?? 'unknown problem')}`;
  return 'Not paged.';
}

/** Posted in the incident channel: who was engaged for which service, by whom, and whether the page went out. */
export function engagementMessage(report: EngagementReport): SlackMessage {
  const service = escapeText(report.serviceName);
  const who = report.engaged.length > 0 ? report.engaged.map(mention).join(', ') : '_nobody in Slack_';
  const lines = [`:telephone_receiver: ${mention(report.actorId)} engaged the on-call for *${service}*: ${who}.`, pageLine(report.page)];
  if (report.newCommander) lines.push(`${mention(report.newCommander)} is now the Incident Commander.`);
  if (report.notInSlack.length > 0) {
    lines.push(`Also on call, but not found in Slack: ${escapeText(report.notInSlack.join(', '))}. Reach them another way.`);
  }
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (report.note) blocks.push(section(quote(report.note)));
  const people = report.engaged.length === 1 ? '1 person' : `${report.engaged.length} people`;
  return {
    text: `On-call for ${truncate(report.serviceName, 150)} engaged: ${people}${report.page.sent ? ', paged' : ''}`,
    blocks,
  };
}

/** The DM each engaged person gets: why they are here, the incident summary and the note. */
export function engagedNotice(report: EngagementReport, links: WorkspaceLinks): SlackMessage {
  const { incident } = report;
  const channel = incident.channelId ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`) : 'its channel';
  const blocks: KnownBlock[] = [
    section(
      `:wave: You are on call for *${escapeText(report.serviceName)}*, and ${mention(report.actorId)} engaged you in ` +
        `*${escapeText(incident.name)}: ${escapeText(truncate(incident.title, 200))}*. Join in ${channel}.`,
    ),
    section(escapeText(truncate(incident.description, 1500))),
    fields([
      ['Status', STATUS_LABELS[incident.status]],
      ['Priority', escapeText(incident.priority)],
      ['Commander', incident.commanderId ? mention(incident.commanderId) : '_nobody_'],
      ['Type', escapeText(incident.type)],
    ]),
  ];
  if (report.note) blocks.push(section(`*Note from ${mention(report.actorId)}*\n${quote(report.note)}`));
  if (report.page.sent) blocks.push(context(`You were also paged through ${escapeText(report.page.providerName)}.`));
  return { text: `You were engaged in ${incident.name} as on-call for ${truncate(report.serviceName, 150)}`, blocks };
}
