import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ListenerDependencies } from '../types';

/** "Add resource" on the resource list: the form, remembering the list so it can be redrawn after. */
const addResourceButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.openResourceForm({ triggerId: body.trigger_id, incident, listResponseUrl: body.response_url });
});

export function register(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>({ action_id: ACTIONS.addResource, type: 'block_actions' }, (args) => addResourceButton(args, deps));
}
