import type { Incident } from '../../incidents/model';

/** An active High incident reported at `reportedAt`, for renderer and pure-function tests. */
export function anIncident(changes: Partial<Incident> = {}, reportedAt = new Date('2026-11-28T09:00:00Z')): Incident {
  return {
    id: 1,
    name: 'dispatch-1',
    title: 'Checkout is failing',
    description: 'HTTP 500',
    resolution: null,
    status: 'active',
    type: 'Other',
    priority: 'High',
    visibility: 'open',
    reporterId: 'U0REPORTER',
    commanderId: 'U0COMMAND1',
    channelId: 'C0INCIDENT',
    channelName: 'dispatch-1',
    summaryTs: null,
    reportedAt,
    stableAt: null,
    closedAt: null,
    updatedAt: reportedAt,
    reminderSnoozedUntil: null,
    rosterRevision: 0,
    ...changes,
  };
}
