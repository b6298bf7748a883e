import type { ReportIncidentInput } from '../incidents/incidentService';
import type { Incident } from '../incidents/model';
import { addToRequestContext } from '../logging/context';
import { type ReportMetadata, reportIncidentModal } from '../slack/blocks/incidentModals';
import { markupToPlainText, mentionedUserIds } from '../slack/markup';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type OncallChoiceDependencies, reportFormOncallBlocks } from './engageOncall';
import { type IncidentChannelDependencies, setUpIncidentChannel } from './incidentChannel';
import { recordSubmission, type Submission } from './submission';

/** Opens the report form (from the command or the message shortcut). */
export async function openReportForm(
  deps: OncallChoiceDependencies & Pick<FlowDependencies, 'gateway' | 'settings'>,
  request: { triggerId: string; prefill: { title?: string; description?: string }; metadata: ReportMetadata },
): Promise<void> {
  const oncallBlocks = await reportFormOncallBlocks(deps);
  await deps.gateway.openView(
    request.triggerId,
    reportIncidentModal(deps.settings.incident, request.prefill, request.metadata, oncallBlocks),
  );
}

/**
 * "Report incident" on a message: the form with the message as plain text and a link back. The
 * form's inputs are plain text, so Slack's markup (<@U…>, <url|label>, &lt;) would show
 * literally there and in the summary later: mentions become names, links "label (url)".
 */
export async function openReportFormFromMessage(
  deps: OncallChoiceDependencies & Pick<FlowDependencies, 'gateway' | 'settings' | 'users' | 'links'>,
  request: { triggerId: string; channelId: string; message: { ts: string; text?: string; user?: string } },
): Promise<void> {
  const raw = request.message.text ?? '';
  const authorId = request.message.user;
  const profiles = await deps.users.profiles([...mentionedUserIds(raw), ...(authorId ? [authorId] : [])]);
  const names = new Map([...profiles].flatMap(([id, profile]) => (profile ? [[id, profile.realName] as const] : [])));
  const text = markupToPlainText(raw, names);
  const permalink = deps.links.message(request.channelId, request.message.ts);
  const authorName = authorId ? names.get(authorId) : undefined;
  const origin = authorName ? `Reported from a message by ${authorName}` : 'Reported from a message';
  const description = `${text}\n\n${origin}: ${permalink}`.trim();
  const title = text.split('\n')[0]?.slice(0, 150) ?? '';
  await openReportForm(deps, {
    triggerId: request.triggerId,
    prefill: { title, description },
    metadata: { originChannelId: request.channelId },
  });
}

/**
 * Records the incident first (nothing is lost if Slack fails), then sets it up in Slack; returns
 * it as set up, or undefined for a repeated delivery of a submission already recorded.
 */
export async function reportIncident(
  deps: IncidentChannelDependencies,
  input: ReportIncidentInput,
  submission?: Submission,
): Promise<Incident | undefined> {
  const incident = await recordSubmission(submission, (submissionKey) => deps.incidents.report({ ...input, submissionKey }));
  if (!incident) return undefined;
  addToRequestContext({ incident: incident.name });
  deps.logger.info('incident reported', { incident: incident.name, priority: incident.priority, visibility: incident.visibility });
  const setUp = await setUpIncidentChannel(deps, incident);
  // Slack not answering: the setup goes on in the background, on any replica, until it is done.
  await deferFailedSteps(deps.deferred, setUp.incident, setUp.failures);
  return setUp.incident;
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openReportForm, openReportFormFromMessage, reportIncident };
