import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Dependencies } from '../../server/dependencies';
import { ACTIONS } from '../../slack/blocks/ids';
import type { ButtonArgs } from '../types';
import { openResourceForm } from '../useCases/resources';
import { incidentOfButton } from './incidentButtons';

/** "Add resource" on the resource list: the form, remembering the list so it can be redrawn after. */
async function addResourceButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await openResourceForm(deps, body.trigger_id, incident, body.response_url);
}

export function register(app: App, deps: Dependencies): void {
  app.action<BlockAction<ButtonAction>>({ action_id: ACTIONS.addResource, type: 'block_actions' }, (args) => addResourceButton(args, deps));
}
