import type { App, ViewSubmitAction } from '@slack/bolt';
import type { ReportErrors, StatusReportInput } from '../../incidents/reports';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { VIEWS } from '../../slack/blocks/ids';
import { replyAfterSubmission } from '../common/reply';
import { hasIncidentId, readMetadata, ViewAnswers } from '../common/viewState';
import type { ViewSubmissionArgs } from '../types';
import { submitStatusReport } from '../useCases/statusReport';

/** The status report form: refused inline when a part is missing; otherwise stored, posted and pinned. */
async function submitReport({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, hasIncidentId);
  const answers = new ViewAnswers(view.state.values);
  const input: StatusReportInput = {
    conditions: answers.text('conditions'),
    actions: answers.text('actions'),
    needs: answers.text('needs'),
  };
  const errors: ReportErrors = deps.reports.validate(input);
  if (!metadata) errors.conditions = 'This form is out of date; run the command again.';
  if (Object.keys(errors).length > 0 || !metadata) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  await submitStatusReport(deps, {
    incidentId: incident.id,
    input,
    authorId: body.user.id,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

export function register(app: App, deps: Dependencies): void {
  app.view<ViewSubmitAction>({ callback_id: VIEWS.statusReport, type: 'view_submission' }, (args) => submitReport(args, deps));
}
