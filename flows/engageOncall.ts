import type { InputBlock } from '@slack/types';
import { DomainError } from '../incidents/errors';
import type { Incident } from '../incidents/model';
import type { OncallPerson, OncallService, PageRequest, PageSeverity } from '../oncall';
import { ONCALL_SETUP_HINT, UnknownServiceError } from '../oncall';
import { noticeMessage, problemMessage } from '../slack/blocks/feedback';
import {
  type EngagementReport,
  engagedNotice,
  engagementMessage,
  engageOncallModal,
  oncallNotConfiguredText,
  reportOncallBlocks,
  type ServiceChoice,
} from '../slack/blocks/oncall';
import { escapeText, mention } from '../slack/blocks/text';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { timelineNames } from './roles';
import { attemptStep, type StepFailure } from './steps';

/** What offering a service choice uses: the provider directory and a log line when it is down. */
export type OncallChoiceDependencies = Pick<FlowDependencies, 'oncall' | 'logger'>;
type EngageDependencies = IncidentChannelDependencies &
  Pick<FlowDependencies, 'oncall' | 'clock' | 'botUserId' | 'oncallEngagements' | 'participants'>;

/** The engage form must open within Slack's 3 seconds of the command: a slower provider gets a searching select. */
const LISTING_BUDGET_MS = 1_500;

export interface EngageOncallRequest {
  incident: Incident;
  serviceId: string;
  note: string | null;
  page: boolean;
  /** Make the first person engaged the Incident Commander (from the report form). */
  makeCommander: boolean;
  actorId: string;
  reply: Reply;
}

/**
 * How the forms offer services: all of them in a static select when the provider lists them in
 * time (and there are at most 100), otherwise a select that searches as the person types.
 * Throws the provider's error when listing fails outright.
 */
export async function serviceChoice(deps: Pick<FlowDependencies, 'oncall'>): Promise<ServiceChoice> {
  if (!deps.oncall) return { kind: 'static', services: [] };
  const services = await deps.oncall.servicesWithin(LISTING_BUDGET_MS);
  return services ? { kind: 'static', services } : { kind: 'external' };
}

/**
 * /dispatch-engage-oncall (and any button that does the same): opens the engage form for the
 * incident, or tells the person privately why it cannot (no provider, provider down, no services).
 */
export async function openEngageForm(
  deps: OncallChoiceDependencies & Pick<FlowDependencies, 'gateway' | 'settings'>,
  request: { incident: Incident; triggerId: string; reply: Reply },
): Promise<void> {
  const directory = deps.oncall;
  if (!directory) {
    deps.logger.info('on-call was asked for but no provider is configured', { setup: ONCALL_SETUP_HINT });
    await request.reply(problemMessage(oncallNotConfiguredText()));
    return;
  }
  let choice: ServiceChoice;
  try {
    choice = await serviceChoice(deps);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    deps.logger.warn('on-call provider could not list services', { provider: directory.provider.name, reason: error.code });
    await request.reply(problemMessage(`${escapeText(error.message)} The on-call form could not be opened; nobody was engaged.`));
    return;
  }
  if (choice.kind === 'static' && choice.services.length === 0) {
    await request.reply(
      problemMessage(`${escapeText(capitalized(directory.provider.name))} lists no services, so there is nobody to engage.`),
    );
    return;
  }
  await deps.gateway.openView(request.triggerId, engageOncallModal(request.incident, choice, directory.provider));
}

/**
 * The on-call part of the report form, when a provider is configured. A provider that is down
 * or slow must not stop anyone reporting: its services are then searched as the person types.
 */
export async function reportFormOncallBlocks(deps: OncallChoiceDependencies): Promise<InputBlock[]> {
  if (!deps.oncall) return [];
  const choice: ServiceChoice = await serviceChoice(deps).catch((error: unknown) => {
    if (!(error instanceof DomainError)) throw error;
    deps.logger.warn('on-call provider could not list services', { provider: deps.oncall?.provider.name, reason: error.code });
    return { kind: 'external' };
  });
  if (choice.kind === 'static' && choice.services.length === 0) return [];
  return reportOncallBlocks(choice, deps.oncall.provider);
}

export const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * PagerDuty severity from the incident's priority, by rank from the top of INCIDENT_PRIORITIES
 * (lowest to highest): the highest is critical, the next error, the next warning, the rest info.
 * With the default priorities: High critical, Medium error, Low warning, Info info.
 */
export function severityFor(priority: string, priorities: readonly string[]): PageSeverity {
  const index = priorities.indexOf(priority);
  const fromTop = index === -1 ? priorities.length : priorities.length - 1 - index;
  return (['critical', 'error', 'warning'] as const)[fromTop] ?? 'info';
}

function pageRequest(
  deps: Pick<FlowDependencies, 'links' | 'settings'>,
  incident: Incident,
  service: OncallService,
  request: EngageOncallRequest,
): PageRequest {
  const channelUrl = incident.channelId ? deps.links.channel(incident.channelId) : undefined;
  const details: Record<string, string> = {
    incident: incident.name,
    title: incident.title,
    priority: incident.priority,
    status: incident.status,
    engaged_by: request.actorId,
  };
  if (request.note) details.note = request.note;
  if (channelUrl) details.slack_channel = channelUrl;
  return {
    serviceId: service.id,
    dedupKey: incident.name,
    summary: `${incident.name}: ${incident.title}`,
    source: channelUrl ?? `Dispatch for Slack (${deps.settings.slack.workspaceName}.slack.com)`,
    severity: severityFor(incident.priority, deps.settings.incident.priorities),
    details,
    ...(channelUrl ? { link: { href: channelUrl, text: `Slack channel of ${incident.name}` } } : {}),
  };
}

/** Finds each person's Slack user: the id the schedule gives, or users.lookupByEmail. */
async function findInSlack(deps: Pick<FlowDependencies, 'gateway' | 'botUserId'>, people: OncallPerson[], failures: StepFailure[]) {
  const engaged: string[] = [];
  const notInSlack: string[] = [];
  for (const person of people) {
    let userId: string | null = person.slackUserId ?? null;
    if (!userId && person.email) {
      try {
        userId = await deps.gateway.userIdByEmail(person.email);
      } catch (error) {
        if (!(error instanceof SlackCallError)) throw error;
        failures.push({ step: `Looking up ${person.email} in Slack`, problem: error.plainWords });
      }
    }
    if (!userId) notInSlack.push(person.label);
    else if (userId !== deps.botUserId && !engaged.includes(userId)) engaged.push(userId);
  }
  return { engaged, notInSlack };
}

/**
 * Engages whoever is on call for a service: invites them to the incident channel, makes them
 * participants (recorded with the engagement), pages them if asked, DMs them the incident and
 * the note, and posts in the channel who was engaged, by whom, and whether the page went out.
 * Refusals (no provider, unknown service, nobody on call, provider down) go to the person who
 * asked, privately, and change nothing.
 */
export async function engageOncall(deps: EngageDependencies, request: EngageOncallRequest): Promise<void> {
  const directory = deps.oncall;
  if (!directory) {
    deps.logger.info('on-call was asked for but no provider is configured', { setup: ONCALL_SETUP_HINT });
    await request.reply(problemMessage(oncallNotConfiguredText()));
    return;
  }
  const { provider } = directory;
  let service: OncallService | undefined;
  let people: OncallPerson[];
  try {
    service = directory.cachedService(request.serviceId) ?? (await provider.findService(request.serviceId));
    if (!service) throw new UnknownServiceError(provider.name, request.serviceId);
    people = await provider.whoIsOnCall(service.id, deps.clock.now());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    deps.logger.warn('on-call provider refused or failed', { provider: provider.name, reason: error.code, detail: error.message });
    // A service listed a moment ago but gone now: name it as the person saw it.
    const refusal = error instanceof UnknownServiceError && service ? new UnknownServiceError(provider.name, service.name) : error;
    await request.reply(problemMessage(`${escapeText(refusal.message)} Nobody was engaged.`));
    return;
  }
  const serviceName = escapeText(service.name);
  if (people.length === 0) {
    await request.reply(
      problemMessage(
        `Nobody is on call for *${serviceName}* right now, according to ${escapeText(provider.name)}. Nobody was engaged${request.page ? ' or paged' : ''}.`,
      ),
    );
    return;
  }

  const failures: StepFailure[] = [];
  const { engaged, notInSlack } = await findInSlack(deps, people, failures);
  let incident = request.incident;
  const channelId = incident.channelId;
  if (channelId && engaged.length > 0) {
    const outcome = await deps.gateway.invite(channelId, engaged);
    for (const failed of outcome.failed) failures.push({ step: `Inviting ${mention(failed.userId)}`, problem: failed.error.plainWords });
  }

  const page: EngagementReport['page'] = { requested: request.page, sent: false, providerName: provider.name };
  if (request.page) {
    if (!provider.page) {
      page.problem = `${provider.name} cannot page anyone`;
    } else {
      try {
        await provider.page(pageRequest(deps, incident, service, request));
        page.sent = true;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        deps.logger.warn('paging failed', { provider: provider.name, reason: error.code });
        page.problem = error.message;
      }
    }
  }

  if (engaged.length > 0) {
    await deps.oncallEngagements.record({
      incidentId: incident.id,
      service: service.name,
      userIds: engaged,
      engagedBy: request.actorId,
      note: request.note,
      paged: page.sent,
    });
  }
  let newCommander: string | null = null;
  if (
    request.makeCommander &&
    engaged.length > 0 &&
    (
      await deps.participants.assignRole({
        incidentId: incident.id,
        userId: engaged[0],
        role: 'commander',
        actorId: request.actorId,
        names: await timelineNames(deps, incident.id, engaged[0]),
      })
    ).changed
  ) {
    newCommander = engaged[0];
    incident = await deps.incidents.require(incident.id);
    failures.push(...(await refreshIncidentChannel(deps, incident, { topic: true })));
  }
  deps.logger.info('on-call engaged', { service: service.name, engaged: engaged.length, notInSlack: notInSlack.length, paged: page.sent });

  const report: EngagementReport = {
    incident,
    serviceName: service.name,
    engaged,
    notInSlack,
    actorId: request.actorId,
    note: request.note,
    page,
    newCommander,
  };
  const attempt = (step: string, work: () => Promise<unknown>) => attemptStep(deps.logger, failures, step, work);
  for (const userId of engaged) {
    await attempt(`Sending ${mention(userId)} a DM`, () => deps.gateway.sendDirectMessage(userId, engagedNotice(report, deps.links)));
  }
  if (channelId && (engaged.length > 0 || page.sent)) {
    await attempt('Posting in the incident channel', () => deps.gateway.postMessage(channelId, engagementMessage(report)));
  }
  await tellRequester(request.reply, report, failures);
}

/** The person who asked hears about what did not work; the channel post is their confirmation otherwise. */
async function tellRequester(reply: Reply, report: EngagementReport, failures: StepFailure[]): Promise<void> {
  const service = escapeText(report.serviceName);
  if (report.engaged.length === 0) {
    const who = escapeText(report.notInSlack.join(', '));
    const paged = report.page.sent ? ` They were paged through ${escapeText(report.page.providerName)}.` : '';
    const lookup = failures.length > 0 ? ` (${failures.map((failure) => escapeText(failure.problem)).join('; ')})` : '';
    await reply(
      problemMessage(
        `${who} ${report.notInSlack.length === 1 ? 'is' : 'are'} on call for *${service}*, but could not be found in Slack by email${lookup}, so nobody was invited.${paged}`,
      ),
    );
    return;
  }
  const problems = failures.map((failure) => `• ${failure.step}: ${escapeText(failure.problem)}`);
  if (report.page.requested && !report.page.sent) problems.push(`• Paging: ${escapeText(report.page.problem ?? 'unknown problem')}`);
  if (report.notInSlack.length > 0) problems.push(`• Not found in Slack: ${escapeText(report.notInSlack.join(', '))}`);
  if (problems.length === 0) return;
  await reply(noticeMessage(`The on-call for *${service}* was engaged, but not everything worked:\n${problems.join('\n')}`));
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openEngageForm, engageOncall };
