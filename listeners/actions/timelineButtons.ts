import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Dependencies } from '../../server/dependencies';
import { ACTIONS } from '../../slack/blocks/ids';
import type { ButtonArgs } from '../types';
import { postTimeline, showTimeline } from '../useCases/timeline';
import { incidentOfButton } from './incidentButtons';

/** "Timeline" on the pinned summary: the timeline in a modal, most recent first. */
async function showTimelineButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  await showTimeline(deps, body.trigger_id, await incidentOfButton(deps, action));
}

/** "Post to channel" in the timeline modal: the whole timeline in the channel, for the postmortem. */
async function postTimelineButton({ ack, action, body }: ButtonArgs, deps: Dependencies): Promise<void> {
  await ack();
  const incident = await incidentOfButton(deps, action);
  await postTimeline(deps, { incident, actorId: body.user.id, viewId: body.view?.id });
}

export function register(app: App, deps: Dependencies): void {
  const on = (actionId: string, handler: (args: ButtonArgs, deps: Dependencies) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>({ action_id: actionId, type: 'block_actions' }, (args) => handler(args, deps));
  on(ACTIONS.showTimeline, showTimelineButton);
  on(ACTIONS.postTimeline, postTimelineButton);
}
