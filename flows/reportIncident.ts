import type { Incident } from '../incidents/model';
import type { ReportIncidentInput } from '../incidents/service';
import { addToRequestContext } from '../logging/context';
import { type ReportMetadata, reportIncidentModal } from '../slack/blocks/incidentModals';
import type { FlowDependencies } from './dependencies';
import { type OncallChoiceDependencies, reportFormOncallBlocks } from './engageOncall';
import { type IncidentChannelDependencies, setUpIncidentChannel } from './incidentChannel';

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

/** Records the incident first (nothing is lost if Slack fails), then sets it up in Slack; returns it as set up. */
export async function reportIncident(deps: IncidentChannelDependencies, input: ReportIncidentInput): Promise<Incident> {
  const incident = await deps.incidents.report(input);
  addToRequestContext({ incident: incident.name });
  deps.logger.info('incident reported', { incident: incident.name, priority: incident.priority, visibility: incident.visibility });
  return (await setUpIncidentChannel(deps, incident)).incident;
}
