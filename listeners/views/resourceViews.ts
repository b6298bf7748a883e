import type { App, ViewSubmitAction } from '@slack/bolt';
import { RESOURCE_KINDS, type ResourceKind } from '../../incidents/model';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { VIEWS } from '../../slack/blocks/ids';
import { isResourceFormMetadata } from '../../slack/blocks/resources';
import { replyAfterSubmission } from '../common/reply';
import { readMetadata, ViewAnswers } from '../common/viewState';
import type { ViewSubmissionArgs } from '../types';
import { addResource } from '../useCases/resources';

const asKind = (value: string | null): ResourceKind | undefined => RESOURCE_KINDS.find((kind) => kind === value);

/** The resource form: a link that is not http(s), or a missing title, is refused inline (response_action errors). */
async function submitResource({ ack, view, body }: ViewSubmissionArgs, deps: Dependencies): Promise<void> {
  const metadata = readMetadata(view.private_metadata, isResourceFormMetadata);
  const answers = new ViewAnswers(view.state.values);
  const input = { kind: asKind(answers.option('kind')), title: answers.text('title'), url: answers.text('url') };
  const errors = deps.resources.validate(input);
  if (!metadata) errors.title = 'This form is out of date; open it again.';
  if (Object.keys(errors).length > 0 || !metadata || !input.kind) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  const incident = await deps.incidents.require(metadata.incidentId);
  addToRequestContext({ incident: incident.name });
  await addResource(deps, {
    incidentId: incident.id,
    input: { ...input, kind: input.kind },
    actorId: body.user.id,
    listResponseUrl: metadata.listResponseUrl,
    reply: replyAfterSubmission(deps, body.user.id, incident),
  });
}

export function register(app: App, deps: Dependencies): void {
  app.view<ViewSubmitAction>({ callback_id: VIEWS.addResource, type: 'view_submission' }, (args) => submitResource(args, deps));
}
