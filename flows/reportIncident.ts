import type { ReportIncidentInput } from '../incidents/incidentService';
import type { Incident } from '../incidents/model';
import { addToRequestContext } from '../logging/context';
import { type ReportMetadata, reportIncidentModal } from '../slack/blocks/incidentModals';
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
