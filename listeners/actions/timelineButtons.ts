import { ACTIONS } from '../../slack/blocks/ids';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

/** "Timeline" on the pinned summary: the timeline in a modal, most recent first. */
const showTimelineButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.showTimeline({ triggerId: body.trigger_id, incident });
});

/** "Post to channel" in the timeline modal: the whole timeline in the channel, for the postmortem. */
const postTimelineButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.postTimeline({ incident, actorId: body.user.id, viewId: body.view?.id });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.action({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.showTimeline, showTimelineButton);
  on(ACTIONS.postTimeline, postTimelineButton);
}
