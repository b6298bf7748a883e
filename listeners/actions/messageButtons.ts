import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { sendCatchUp } from '../../flows/catchUp';
import { followIncident, unfollowIncident } from '../../flows/follow';
import { helpFor } from '../../flows/help';
import type { Dependencies } from '../../server/dependencies';
import { ACTIONS } from '../../slack/blocks/ids';
import { helpVerbs } from '../commands/dispatch';
import { replyByResponseUrl } from '../common/reply';
import type { ButtonArgs } from '../types';
import { incidentOfButton } from './incidentButtons';

/** "Catch me up" on the pinned summary: the catch-up, privately, to whoever pressed it. */
async function catchUpButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  await sendCatchUp(deps, await incidentOfButton(deps, action), replyByResponseUrl(deps, body.response_url));
}

/** "Help" on the welcome: what this person can do here, as `/dispatch help` answers. */
async function helpButton({ ack, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
  const message = await helpFor(deps, { userId: body.user.id, channelId, verbs: helpVerbs(deps, deps.settings.commands.dispatch) });
  await deps.gateway.respond(body.response_url, message);
}

/** "Follow" on the announcement: DMs of status changes and reports without joining. */
async function followButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  await followIncident(deps, await incidentOfButton(deps, action), body.user.id, replyByResponseUrl(deps, body.response_url));
}

/** "Unfollow" on a follower's DM. */
async function unfollowButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  await unfollowIncident(deps, await incidentOfButton(deps, action), body.user.id, replyByResponseUrl(deps, body.response_url));
}

export function register(app: App, deps: Dependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: Dependencies) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.catchUp, catchUpButton);
  on(ACTIONS.help, helpButton);
  on(ACTIONS.follow, followButton);
  on(ACTIONS.unfollow, unfollowButton);
}
