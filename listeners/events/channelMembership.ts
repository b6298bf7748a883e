import type { Incident } from '../../incidents/model';
import type { IncidentRef } from '../../incidents/ports';
import { addToRequestContext } from '../../logging/context';
import type { EventListenerModule, ListenerDependencies, ListenerRoutes } from '../types';

/** Message subtypes a person writes; the rest (bot_message, channel_join, message_changed...) is not activity. */
const PERSON_MESSAGE_SUBTYPES = new Set<string | undefined>([undefined, 'thread_broadcast', 'file_share', 'me_message']);

/** The incident whose channel this is, or undefined for any other channel (events are not answered, so nobody is told). */
async function incidentOfChannel(deps: ListenerDependencies, channelId: string): Promise<Incident | undefined> {
  const incident = await deps.incidents.findByChannel(channelId);
  if (incident) addToRequestContext({ incident: incident.name });
  return incident;
}

/** The same for the busiest events, which need only which incident it is (remembered after the first time). */
async function incidentRefOfChannel(deps: ListenerDependencies, channelId: string): Promise<IncidentRef | undefined> {
  const ref = await deps.incidents.refOfChannel(channelId);
  if (ref) addToRequestContext({ incident: ref.name });
  return ref;
}

/** Someone joined an incident channel: a participant (again), welcomed or caught up privately. */
export const memberJoinedListener: EventListenerModule = {
  subscriptions: ['member_joined_channel'],
  register(routes: ListenerRoutes, deps: ListenerDependencies) {
    routes.event('member_joined_channel', async ({ event }) => {
      const incident = await incidentRefOfChannel(deps, event.channel);
      if (!incident) return;
      await deps.flows.memberJoined({ incidentId: incident.id, userId: event.user });
    });
  },
};

/** Someone left: recorded as gone; the commander is added back and asked to hand over first. */
export const memberLeftListener: EventListenerModule = {
  subscriptions: ['member_left_channel'],
  register(routes: ListenerRoutes, deps: ListenerDependencies) {
    routes.event('member_left_channel', async ({ event }) => {
      const incident = await incidentOfChannel(deps, event.channel);
      if (!incident) return;
      await deps.flows.memberLeft({ incident, userId: event.user });
    });
  },
};

/** A person's message in an incident channel (thread replies too) counts as activity; its text is not kept. */
export const messageActivityListener: EventListenerModule = {
  subscriptions: ['message.channels', 'message.groups'],
  register(routes: ListenerRoutes, deps: ListenerDependencies) {
    routes.event('message', async ({ event, body }) => {
      if (!PERSON_MESSAGE_SUBTYPES.has(event.subtype) || !('user' in event) || !event.user) return;
      if ('bot_id' in event && event.bot_id) return;
      const incident = await incidentRefOfChannel(deps, event.channel);
      if (!incident) return;
      await deps.flows.memberWrote({ incidentId: incident.id, userId: event.user, deliveryKey: `message:${body.event_id}` });
    });
  },
};
