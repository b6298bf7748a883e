import type { App } from '@slack/bolt';
import { greetArrival } from '../../flows/catchUp';
import type { Incident } from '../../incidents/model';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import type { EventListenerModule } from '../types';
import { bringBackCommander } from '../useCases/participants';

/** Message subtypes a person writes; the rest (bot_message, channel_join, message_changed...) is not activity. */
const PERSON_MESSAGE_SUBTYPES = new Set<string | undefined>([undefined, 'thread_broadcast', 'file_share', 'me_message']);

/** The incident whose channel this is, or undefined for any other channel. */
async function incidentOfChannel(deps: Dependencies, channelId: string): Promise<Incident | undefined> {
  const incident = await deps.incidents.findByChannel(channelId);
  if (incident) addToRequestContext({ incident: incident.name });
  return incident;
}

/** Someone joined an incident channel: a participant (again), welcomed or caught up privately. */
export const memberJoinedListener: EventListenerModule = {
  subscriptions: ['member_joined_channel'],
  register(app: App, deps: Dependencies) {
    app.event('member_joined_channel', async ({ event }) => {
      const incident = await incidentOfChannel(deps, event.channel);
      if (!incident) return;
      const joined = await deps.participants.join(incident.id, event.user);
      // A repeated join (the commander added back after leaving) is not a new arrival.
      if (joined?.changed) await greetArrival(deps, incident, event.user, joined.firstJoin);
    });
  },
};

/** Someone left: recorded as gone; the commander is added back and asked to hand over first. */
export const memberLeftListener: EventListenerModule = {
  subscriptions: ['member_left_channel'],
  register(app: App, deps: Dependencies) {
    app.event('member_left_channel', async ({ event }) => {
      const incident = await incidentOfChannel(deps, event.channel);
      if (!incident) return;
      const left = await deps.participants.leave(incident.id, event.user);
      if (left.kind === 'commander_must_hand_over') await bringBackCommander(deps, incident, event.user);
    });
  },
};

/** A person's message in an incident channel (thread replies too) counts as activity; its text is not kept. */
export const messageActivityListener: EventListenerModule = {
  subscriptions: ['message.channels', 'message.groups'],
  register(app: App, deps: Dependencies) {
    app.event('message', async ({ event }) => {
      if (!PERSON_MESSAGE_SUBTYPES.has(event.subtype) || !('user' in event) || !event.user) return;
      if ('bot_id' in event && event.bot_id) return;
      const incident = await incidentOfChannel(deps, event.channel);
      if (!incident) return;
      await deps.participants.recordActivity(incident.id, event.user);
    });
  },
};
