import type { Incident, StatusReport } from '../incidents/model';
import type { StatusReportInput } from '../incidents/reports';
import { statusReportMessage, statusReportModal } from '../slack/blocks/statusReport';
import { deferFailedSteps } from './deferredSlack';
import type { FlowDependencies } from './dependencies';
import { type FollowDependencies, tellFollowersOfReport } from './follow';
import { type IncidentChannelDependencies, refreshIncidentChannel } from './incidentChannel';
import type { Reply } from './reply';
import { attemptStep, reportOutcome, type StepFailure } from './steps';
import { recordSubmission, type Submission } from './submission';

/** Opens the report form prefilled from the last report (the command, the summary button, a reminder). */
export async function openStatusReportForm(
  deps: Pick<FlowDependencies, 'reports' | 'gateway'>,
  request: { triggerId: string; incident: Incident },
): Promise<void> {
  const { incident } = request;
  deps.reports.assertReportable(incident);
  const latest = await deps.reports.latest(incident.id);
  await deps.gateway.openView(request.triggerId, statusReportModal(incident, latest ?? null));
}

/**
 * Stores the report first (nothing is lost if Slack fails), then posts and pins it in the
 * channel, unpins the previous one, and refreshes the summary ("last report ... ago") and the
 * announcement. Slack failures are told to the author; the report stays recorded.
 */
export async function submitStatusReport(
  deps: IncidentChannelDependencies & FollowDependencies,
  request: { incidentId: number; input: StatusReportInput; authorId: string; reply: Reply; submission?: Submission },
): Promise<void> {
  const submitted = await recordSubmission(request.submission, (submissionKey) =>
    deps.reports.submit(request.incidentId, request.input, request.authorId, { submissionKey }),
  );
  if (!submitted) return;
  const { incident, report, previous } = submitted;
  const failures: StepFailure[] = [];
  const attempt = (step: string, work: () => Promise<unknown>) => attemptStep(deps.logger, failures, step, work);
  const channelId = incident.channelId;
  if (channelId) {
    const posted = await attempt('Posting and pinning the report in the channel', () => postAndPinReport(deps, incident, report));
    if (!posted && failures[failures.length - 1]?.transient) await deps.deferred.postStatusReport(incident.id, report.id);
    const previousTs = previous?.messageTs;
    if (previousTs) await attempt('Unpinning the previous report', () => deps.gateway.unpin(channelId, previousTs));
  }
  failures.push(...(await refreshIncidentChannel(deps, incident)));
  await tellFollowersOfReport(deps, incident, report);
  await deferFailedSteps(deps.deferred, incident, failures);
  await reportOutcome(request.reply, `The status report for ${incident.name} is recorded`, failures);
}

/** Posts the report in the incident channel, remembers where, and pins it. */
export async function postAndPinReport(
  deps: Pick<IncidentChannelDependencies, 'gateway' | 'reports'>,
  incident: Incident,
  report: StatusReport,
): Promise<void> {
  const channelId = incident.channelId;
  if (!channelId) return;
  const ts = await deps.gateway.postMessage(channelId, statusReportMessage(incident, report));
  await deps.reports.recordMessage(report.id, ts);
  await deps.gateway.pin(channelId, ts);
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openStatusReportForm, submitStatusReport };
