import { RESOURCE_KINDS, type ResourceKind } from '../../incidents/model';
import { VIEWS } from '../../slack/blocks/ids';
import { isResourceFormMetadata } from '../../slack/blocks/resources';
import { incidentForm } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';
import { ViewAnswers } from '../viewState';

const asKind = (value: string | null): ResourceKind | undefined => RESOURCE_KINDS.find((kind) => kind === value);

/** The resource form: a link that is not http(s), or a missing title, is refused inline (response_action errors). */
const submitResource = incidentForm(
  { isMetadata: isResourceFormMetadata, errorField: 'title' },
  async ({ ack, view, body }, deps, incident, metadata) => {
    const answers = new ViewAnswers(view.state.values);
    const input = { kind: asKind(answers.option('kind')), title: answers.text('title'), url: answers.text('url') };
    const errors = deps.resources.validate(input);
    if (Object.keys(errors).length > 0 || !input.kind) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    await deps.flows.addResource({
      incidentId: incident.id,
      input: { ...input, kind: input.kind },
      actorId: body.user.id,
      listResponseUrl: metadata.listResponseUrl,
      reply: deps.flows.replyAfterSubmission(body.user.id, incident),
    });
  },
);

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.view({ callback_id: VIEWS.addResource, type: 'view_submission' }, (args) => submitResource(args, deps));
}
