import { FOLLOW_UP_LINES_LIMIT, followUpLines } from '../../incidents/followUps';
import type { FieldErrors, IncidentDetails } from '../../incidents/incidentService';
import { INCIDENT_STATUSES, type IncidentStatus, VISIBILITIES, type Visibility } from '../../incidents/model';
import { VIEWS } from '../../slack/blocks/ids';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes, ViewSubmissionArgs } from '../types';
import { hasIncidentId, submissionOf, ViewAnswers } from '../viewState';
import { oncallChoiceErrors, readOncallChoice } from './oncallViews';

const asVisibility = (value: string | null): Visibility => VISIBILITIES.find((candidate) => candidate === value) ?? ('' as Visibility);
const asStatus = (value: string | null): IncidentStatus | undefined => INCIDENT_STATUSES.find((candidate) => candidate === value);

function readDetails(answers: ViewAnswers): IncidentDetails {
  return {
    title: answers.text('title'),
    description: answers.text('description'),
    type: answers.option('type') ?? '',
    priority: answers.option('priority') ?? '',
    visibility: asVisibility(answers.option('visibility')),
  };
}

const hasErrors = (errors: FieldErrors | Record<string, string>) => Object.keys(errors).length > 0;

/** The report form: refused inline (response_action errors) when a field is wrong; otherwise recorded and set up. */
async function submitReport(args: ViewSubmissionArgs, deps: ListenerDependencies): Promise<void> {
  const { ack, view, body } = args;
  const answers = new ViewAnswers(view.state.values);
  const details = readDetails(answers);
  const commanderId = answers.user('commander');
  const errors = deps.incidents.validateDetails(details);
  if (commanderId === deps.botUserId) errors.commander = 'The app cannot lead an incident; pick a person.';
  const oncall = readOncallChoice(answers);
  const oncallErrors = await oncallChoiceErrors(deps, oncall, false);
  if (oncall.makeCommander && commanderId) errors.commander = 'Pick a commander or make the on-call the commander, not both.';
  if (hasErrors(errors) || hasErrors(oncallErrors)) {
    await ack({ response_action: 'errors', errors: { ...errors, ...oncallErrors } });
    return;
  }
  const incident = await deps.flows.reportIncident({ ...details, reporterId: body.user.id, commanderId }, submissionOf(args));
  if (incident && oncall.serviceId) {
    const { serviceId, note, page, makeCommander } = oncall;
    const reply = deps.flows.replyAfterSubmission(body.user.id, incident);
    await deps.flows.engageOncall({ incident, serviceId, note, page, makeCommander, actorId: body.user.id, reply });
  }
}

/** The edit form: same inline checks, plus a resolution when the status becomes closed. */
const submitEdit = incidentForm({ isMetadata: hasIncidentId, errorField: 'title' }, async (args, deps, incident) => {
  const { ack, view, body } = args;
  const answers = new ViewAnswers(view.state.values);
  const details = readDetails(answers);
  const resolution = answers.text('resolution');
  const status = asStatus(answers.option('status'));
  const errors = deps.incidents.validateDetails({ ...details, resolution });
  if (!status) errors.status = 'Pick a status.';
  if (status === 'closed' && !resolution.trim()) errors.resolution = 'A closed incident needs a resolution.';
  if (hasErrors(errors) || !status) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await deps.flows.editIncident({
    incidentId: incident.id,
    input: { ...details, resolution, status },
    actorId: body.user.id,
    reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    submission: submissionOf(args),
  });
});

/** The resolution asked for when closing. */
const submitResolution = incidentForm({ isMetadata: hasIncidentId, errorField: 'resolution' }, async (args, deps, incident) => {
  const { ack, view, body } = args;
  const answers = new ViewAnswers(view.state.values);
  const resolution = answers.text('resolution');
  const problem = deps.incidents.resolutionProblem(resolution);
  const lines = followUpLines(answers.text('follow_ups'));
  const lineProblem = lines.map((line) => deps.followUps.problem({ description: line, dueOn: null })).find(Boolean);
  const tooMany = lines.length > FOLLOW_UP_LINES_LIMIT ? `At most ${FOLLOW_UP_LINES_LIMIT} follow-ups at once.` : undefined;
  if (problem || lineProblem || tooMany) {
    const errors: Record<string, string> = {};
    if (problem) errors.resolution = problem;
    if (lineProblem || tooMany) errors.follow_ups = (tooMany ?? lineProblem) as string;
    await ack({ response_action: 'errors', errors });
    return;
  }
  const ownerId = answers.user('follow_up_owner') ?? incident.commanderId ?? body.user.id;
  await deps.flows.completeStatusChange({
    incidentId: incident.id,
    target: 'closed',
    actorId: body.user.id,
    resolution,
    followUps: lines.map((description) => ({ incidentId: incident.id, description, ownerId, dueOn: null, creatorId: body.user.id })),
    reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    submission: submissionOf(args),
  });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.report, type: 'view_submission' }, (args) => submitReport(args, deps));
  routes.view({ callback_id: VIEWS.edit, type: 'view_submission' }, (args) => submitEdit(args, deps));
  routes.view({ callback_id: VIEWS.resolution, type: 'view_submission' }, (args) => submitResolution(args, deps));
}
