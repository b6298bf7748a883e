import type { ReportErrors, StatusReportInput } from '../../incidents/reports';
import { VIEWS } from '../../slack/blocks/ids';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';
import { hasIncidentId, submissionOf, ViewAnswers } from '../viewState';

/** The status report form: refused inline when a part is missing; otherwise stored, posted and pinned. */
const submitReport = incidentForm({ isMetadata: hasIncidentId, errorField: 'conditions' }, async (args, deps, incident) => {
  const { ack, view, body } = args;
  const answers = new ViewAnswers(view.state.values);
  const input: StatusReportInput = {
    conditions: answers.text('conditions'),
    actions: answers.text('actions'),
    needs: answers.text('needs'),
  };
  const errors: ReportErrors = deps.reports.validate(input);
  if (Object.keys(errors).length > 0) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await deps.flows.submitStatusReport({
    incidentId: incident.id,
    input,
    authorId: body.user.id,
    reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    submission: submissionOf(args),
  });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.statusReport, type: 'view_submission' }, (args) => submitReport(args, deps));
}
