import { ACTIONS } from '../../slack/blocks/ids';
import { helpVerbs } from '../commands/dispatch';
import { incidentButton } from '../incidentScope';
import type { ButtonArgs, ListenerDependencies, ListenerRoutes } from '../types';

/** "Catch me up" on the pinned summary: the catch-up, privately, to whoever pressed it. */
const catchUpButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.sendCatchUp({ incident, reply: deps.flows.replyByResponseUrl(body.response_url) });
});

/** "Help" on the welcome: what this person can do here, as `/dispatch help` answers. */
async function helpButton({ ack, body }: ButtonArgs, deps: ListenerDependencies): Promise<void> {
  await ack();
  await deps.flows.showHelp({
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id ?? '',
    verbs: helpVerbs(deps, deps.settings.commands.dispatch),
    reply: deps.flows.replyByResponseUrl(body.response_url),
  });
}

/** "Follow" on the announcement: DMs of status changes and reports without joining. */
const followButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.followIncident({ incident, userId: body.user.id, reply: deps.flows.replyByResponseUrl(body.response_url) });
});

/** "Unfollow" on a follower's DM. */
const unfollowButton = incidentButton({}, async ({ body }, deps, incident) => {
  await deps.flows.unfollowIncident({ incident, userId: body.user.id, reply: deps.flows.replyByResponseUrl(body.response_url) });
});

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: ListenerDependencies) => Promise<void>) =>
    routes.action({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.catchUp, catchUpButton);
  on(ACTIONS.help, helpButton);
  on(ACTIONS.follow, followButton);
  on(ACTIONS.unfollow, unfollowButton);
}
