import type { IncidentEvent, IncidentEventType } from '../../incidents/incidentEvents';
import type { Incident } from '../../incidents/model';

/** One example of every event, on one incident: what docs/webhooks.md shows and the tests check. */
const reportedAt = new Date('2026-11-28T09:00:00.000Z');
const at = (minutes: number) => new Date(reportedAt.getTime() + minutes * 60_000);

export const EXAMPLE_EVENT_IDS: Record<IncidentEventType, string> = {
  'incident.reported': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a01',
  'incident.status_changed': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a02',
  'incident.updated': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a03',
  'incident.closed': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a04',
  'incident.reopened': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a05',
  'status_report.posted': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a06',
  'participant.role_assigned': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a07',
  'task.created': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a08',
  'task.resolved': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a09',
  'followup.created': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a10',
  'oncall.engaged': 'evt_5b0c8a52-5c1d-4c44-9d57-0f6d8f0e0a11',
};

function incident(changes: Partial<Incident> = {}): Incident {
  return {
    id: 42,
    name: 'dispatch-42',
    title: 'Checkout is failing',
    description: 'Card payments return HTTP 500 for about 30% of requests.',
    resolution: null,
    status: 'active',
    type: 'Availability',
    priority: 'High',
    visibility: 'open',
    reporterId: 'U0REPORTER',
    commanderId: 'U0COMMANDR',
    channelId: 'C0INCIDENT',
    channelName: 'dispatch-42-checkout-is-failing',
    summaryTs: '1764320400.000100',
    reportedAt,
    stableAt: null,
    closedAt: null,
    updatedAt: reportedAt,
    reminderSnoozedUntil: null,
    rosterRevision: 0,
    ...changes,
  };
}

const task = {
  id: 7,
  incidentId: 42,
  description: 'Roll back the payment gateway to 4.2.1',
  creatorId: 'U0COMMANDR',
  assigneeIds: ['U0ENGINEER'],
  status: 'open' as const,
  createdAt: at(12),
  resolvedAt: null,
  resolvedBy: null,
  sourceUrl: 'https://acme.slack.com/archives/C0INCIDENT/p1764321120000200',
};

export const EXAMPLE_EVENTS: IncidentEvent[] = [
  // The channel is made right after the report is recorded, so the first event has none yet.
  {
    type: 'incident.reported',
    incident: incident({ channelId: null, channelName: null, summaryTs: null }),
    actorId: 'U0REPORTER',
    occurredAt: reportedAt,
  },
  {
    type: 'participant.role_assigned',
    incident: incident({ commanderId: 'U0ENGINEER', updatedAt: at(5) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(5),
    userId: 'U0ENGINEER',
    role: 'commander',
    previousCommanderId: 'U0COMMANDR',
  },
  {
    type: 'oncall.engaged',
    incident: incident({ updatedAt: at(8) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(8),
    service: 'payments',
    userIds: ['U0ONCALL01'],
    paged: true,
    note: 'Gateway errors since 09:00',
  },
  { type: 'task.created', incident: incident({ updatedAt: at(12) }), actorId: 'U0COMMANDR', occurredAt: at(12), task },
  {
    type: 'status_report.posted',
    incident: incident({ updatedAt: at(20) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(20),
    report: {
      id: 3,
      incidentId: 42,
      conditions: 'Card payments fail for about 30% of requests.',
      actions: 'Rolling back the payment gateway.',
      needs: 'Nothing yet.',
      authorId: 'U0COMMANDR',
      createdAt: at(20),
      messageTs: '1764321600.000300',
    },
  },
  {
    type: 'task.resolved',
    incident: incident({ updatedAt: at(30) }),
    actorId: 'U0ENGINEER',
    occurredAt: at(30),
    task: { ...task, status: 'resolved', resolvedAt: at(30), resolvedBy: 'U0ENGINEER' },
  },
  {
    type: 'incident.status_changed',
    incident: incident({ status: 'stable', stableAt: at(35), updatedAt: at(35) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(35),
    previousStatus: 'active',
  },
  {
    type: 'incident.updated',
    incident: incident({ status: 'stable', stableAt: at(40), priority: 'Medium', title: 'Card payments failing', updatedAt: at(40) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(40),
    changes: [
      { field: 'title', from: 'Checkout is failing', to: 'Card payments failing' },
      { field: 'priority', from: 'High', to: 'Medium' },
    ],
  },
  {
    type: 'incident.closed',
    incident: incident({
      status: 'closed',
      title: 'Card payments failing',
      priority: 'Medium',
      resolution: 'Rolled back the payment gateway to 4.2.1.',
      stableAt: at(35),
      closedAt: at(60),
      updatedAt: at(60),
    }),
    actorId: 'U0COMMANDR',
    occurredAt: at(60),
    previousStatus: 'stable',
  },
  {
    type: 'followup.created',
    incident: incident({ status: 'closed', stableAt: at(35), closedAt: at(60), updatedAt: at(60) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(65),
    followUp: {
      id: 1,
      incidentId: 42,
      description: 'Alert on the gateway error rate',
      ownerId: 'U0ENGINEER',
      creatorId: 'U0COMMANDR',
      dueOn: '2026-12-05',
      createdAt: at(65),
      sourceUrl: null,
    },
  },
  {
    type: 'incident.reopened',
    incident: incident({ status: 'active', resolution: 'Rolled back the payment gateway to 4.2.1.', updatedAt: at(90) }),
    actorId: 'U0COMMANDR',
    occurredAt: at(90),
    previousStatus: 'closed',
  },
];

export const exampleChannelUrl = (channelId: string) => `https://acme.slack.com/archives/${channelId}`;
