import { capitalized } from '../../flows/engageOncall';
import { VIEWS } from '../../slack/blocks/ids';
import { NOTE_MAX_LENGTH, ONCALL_FIELDS, ONCALL_OPTIONS } from '../../slack/blocks/oncall';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';
import { hasIncidentId, ViewAnswers } from '../viewState';

/** How long a submission may wait for the provider's service list before answering Slack. */
const CHECK_BUDGET_MS = 500;

/** What a person chose in the on-call inputs of the engage or report form. */
export interface OncallChoice {
  serviceId: string | null;
  note: string | null;
  page: boolean;
  makeCommander: boolean;
}

export function readOncallChoice(answers: ViewAnswers): OncallChoice {
  const options = answers.options(ONCALL_FIELDS.options);
  const note = answers.text(ONCALL_FIELDS.note).trim();
  return {
    serviceId: answers.option(ONCALL_FIELDS.service),
    note: note || null,
    page: options.includes(ONCALL_OPTIONS.page),
    makeCommander: options.includes(ONCALL_OPTIONS.commander),
  };
}

/**
 * Problems with an on-call choice that can be known before answering Slack, by block_id: a
 * missing service, a service the provider's (cached) list does not have, a note too long.
 */
export async function oncallChoiceErrors(
  deps: Pick<ListenerDependencies, 'oncall'>,
  choice: OncallChoice,
  required: boolean,
): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (choice.note && choice.note.length > NOTE_MAX_LENGTH) {
    errors[ONCALL_FIELDS.note] = `Keep the note within ${NOTE_MAX_LENGTH} characters (it has ${choice.note.length}).`;
  }
  if (!choice.serviceId) {
    if (required) errors[ONCALL_FIELDS.service] = 'Pick a service.';
    else if (choice.page || choice.makeCommander) errors[ONCALL_FIELDS.options] = 'Pick a service to engage first, or untick these.';
    return errors;
  }
  if (!deps.oncall) {
    errors[ONCALL_FIELDS.service] = 'No on-call provider is configured any more; run the command again.';
  } else if ((await deps.oncall.lookupWithin(choice.serviceId, CHECK_BUDGET_MS)) === null) {
    errors[ONCALL_FIELDS.service] = `${capitalized(deps.oncall.provider.name)} has no such service (any more); pick another one.`;
  }
  return errors;
}

/** The engage form: checked inline, then the on-call is engaged after the ack. */
const submitEngage = incidentForm(
  { isMetadata: hasIncidentId, errorField: ONCALL_FIELDS.service },
  async ({ ack, view, body }, deps, incident) => {
    const choice = readOncallChoice(new ViewAnswers(view.state.values));
    const errors = await oncallChoiceErrors(deps, choice, true);
    if (Object.keys(errors).length > 0 || !choice.serviceId) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deps.flows.engageOncall({
      incident,
      serviceId: choice.serviceId,
      note: choice.note,
      page: choice.page,
      makeCommander: false,
      actorId: body.user.id,
      reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    });
  },
);

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.engageOncall, type: 'view_submission' }, (args) => submitEngage(args, deps));
}
