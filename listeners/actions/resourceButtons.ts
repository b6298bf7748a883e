import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ListenerDependencies, ListenerRoutes } from '../types';

/** "Add resource" on the resource list: the form, remembering the list so it can be redrawn after. */
const addResourceButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.openResourceForm({ triggerId: body.trigger_id, incident, listResponseUrl: body.response_url });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.action({ action_id: ACTIONS.addResource, type: 'block_actions' }, (args) => addResourceButton(args, deps));
}
