import { join } from 'node:path';
import { FeedbackService } from '../../incidents/feedback';
import { FollowUpService } from '../../incidents/followUps';
import { IncidentService } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import { ParticipantService } from '../../incidents/participants';
import { StatusReportService } from '../../incidents/reports';
import { ResourceService } from '../../incidents/resources';
import { TaskService } from '../../incidents/tasks';
import { TimelineService } from '../../incidents/timeline';
import type { Store } from '../../store';
import type { ManualClock } from './clock';

export const NOW = new Date('2026-03-18T12:00:00.000Z');
export const RESPONDER = 'U0RESPOND1';
export const OUTSIDER = 'U0OUTSIDE1';
const MINUTE = 60_000;

interface Seed {
  title: string;
  priority: string;
  type: string;
  reportedAt: string;
  stableAfterMinutes?: number;
  closedAfterMinutes?: number;
  restricted?: boolean;
}

/**
 * The seeded record the metrics are checked against (figures worked out by hand in the tests):
 * High/Availability A, B, C; Low/Security D (stable only); Low/Availability E (active);
 * F before the window; G restricted (Medium/Security), with RESPONDER taking part.
 */
export const SEEDS: Seed[] = [
  {
    title: 'A',
    priority: 'High',
    type: 'Availability',
    reportedAt: '2026-03-02T10:00:00Z',
    stableAfterMinutes: 30,
    closedAfterMinutes: 120,
  },
  {
    title: 'B',
    priority: 'High',
    type: 'Availability',
    reportedAt: '2026-03-03T10:00:00Z',
    stableAfterMinutes: 60,
    closedAfterMinutes: 240,
  },
  {
    title: 'C',
    priority: 'High',
    type: 'Availability',
    reportedAt: '2026-03-10T09:00:00Z',
    stableAfterMinutes: 90,
    closedAfterMinutes: 480,
  },
  { title: 'D', priority: 'Low', type: 'Security', reportedAt: '2026-03-11T00:00:00Z', stableAfterMinutes: 10 },
  { title: 'E', priority: 'Low', type: 'Availability', reportedAt: '2026-03-16T08:00:00Z' },
  { title: 'F', priority: 'High', type: 'Security', reportedAt: '2025-12-01T10:00:00Z', stableAfterMinutes: 5, closedAfterMinutes: 5 },
  {
    title: 'G',
    priority: 'Medium',
    type: 'Security',
    reportedAt: '2026-03-17T10:00:00Z',
    stableAfterMinutes: 20,
    closedAfterMinutes: 40,
    restricted: true,
  },
];

/** Writes the seeded incidents straight into the store, with their times. */
export async function seedMetricsRecord(store: Store): Promise<void> {
  for (const seed of SEEDS) {
    const reportedAt = new Date(seed.reportedAt);
    await store.transaction(async (tx) => {
      const incident = await tx.incidents.insert({
        namePrefix: 'dispatch',
        title: seed.title,
        description: `Incident ${seed.title}`,
        type: seed.type,
        priority: seed.priority,
        visibility: seed.restricted ? 'restricted' : 'open',
        reporterId: 'U0REPORTER',
        reportedAt,
      });
      const stableAt = seed.stableAfterMinutes === undefined ? null : new Date(reportedAt.getTime() + seed.stableAfterMinutes * MINUTE);
      const closedAt = seed.closedAfterMinutes === undefined ? null : new Date(reportedAt.getTime() + seed.closedAfterMinutes * MINUTE);
      await tx.incidents.update(
        incident.id,
        { stableAt, closedAt, status: closedAt ? 'closed' : stableAt ? 'stable' : 'active', resolution: closedAt ? 'Fixed.' : undefined },
        reportedAt,
      );
      if (seed.restricted) await tx.participants.join(incident.id, RESPONDER, reportedAt);
    });
  }
}

/** The draft of the story below, as stored: every engine must produce exactly this. */
export const EXPECTED_POSTMORTEM = join(__dirname, '../fixtures/postmortem/dispatch-1.md');
/** When the story starts. */
export const STORY_START = '2026-03-02T09:12:00.000Z';

const REPORTER = 'U0REPORTER';
const COMMANDER = 'U0COMMAND1';
export const SRE = 'U0SRE00001';
export const QUIET = 'U0QUIET001';
const BOT = 'UBOT000001';
export const NAMES: Record<string, string> = {
  [REPORTER]: 'Rita Reporter',
  [COMMANDER]: 'Cass Commander',
  [SRE]: 'Sam *the* SRE',
};
const HOUR = 3_600_000;

/**
 * One incident told through the domain services, as responders would: the same story on
 * every engine, with user text that tries to break out of Markdown.
 */
export async function tellStory(store: Store, clock: ManualClock): Promise<Incident> {
  const policy = { namePrefix: 'dispatch', types: ['Availability', 'Other'], priorities: ['Low', 'High'] };
  const incidents = new IncidentService(store, clock, policy);
  const participants = new ParticipantService(store, clock, BOT);
  const reports = new StatusReportService(store, clock);
  const tasks = new TaskService(store, clock);
  const resources = new ResourceService(store, clock, {
    conferenceUrlTemplate: null,
    documentUrlTemplate: null,
    ticketUrlTemplate: null,
    dashboardUrlTemplate: null,
  });
  const timeline = new TimelineService(store, clock);
  const followUps = new FollowUpService(store, clock);
  const feedback = new FeedbackService(store, clock, BOT);

  const incident = await incidents.report({
    title: 'Checkout fails with <b>500</b> | *all* users',
    description: 'Payments API answers 500.\n# not a heading\n- not a list\n[click](javascript:alert(1))',
    type: 'Availability',
    priority: 'High',
    visibility: 'open',
    reporterId: REPORTER,
    commanderId: COMMANDER,
  });
  await store.incidents.update(incident.id, { channelId: 'C0INCIDENT', channelName: 'dispatch-1-checkout' }, clock.now());
  clock.advance(2 * MINUTE);
  await participants.join(incident.id, COMMANDER);
  await participants.join(incident.id, SRE);
  await participants.join(incident.id, QUIET);
  clock.advance(5 * MINUTE);
  await reports.submit(
    incident.id,
    { conditions: 'Checkout down for _everyone_', actions: 'Rolling back `v42`', needs: 'Nothing yet' },
    COMMANDER,
  );
  clock.advance(3 * MINUTE);
  const marked = clock.now();
  clock.advance(MINUTE);
  await timeline.addMessage({
    incidentId: incident.id,
    channelId: 'C0INCIDENT',
    messageId: '1772445600.000100',
    authorId: SRE,
    text: 'Found it: ![x](https://evil.example/x.png) the pool is exhausted',
    postedAt: marked,
    permalink: 'https://acme.slack.com/archives/C0INCIDENT/p1772445600000100',
  });
  const task = await tasks.create({ incidentId: incident.id, description: 'Roll back v42', assigneeIds: [SRE], creatorId: COMMANDER });
  await tasks.create({ incidentId: incident.id, description: 'Page the DB team', assigneeIds: [], creatorId: COMMANDER });
  await resources.add(
    incident.id,
    { kind: 'dashboard', title: 'Payments [prod]', url: 'https://grafana.example.com/d/pay?from=now-1h' },
    SRE,
  );
  clock.advance(40 * MINUTE);
  await tasks.resolve(task.id, SRE);
  await incidents.changeStatus(incident.id, 'stable', COMMANDER);
  clock.advance(2 * HOUR + 15 * MINUTE);
  await reports.submit(
    incident.id,
    { conditions: 'Stable', actions: 'Watching error rates\nSecond line', needs: 'A DB review' },
    COMMANDER,
  );
  clock.advance(HOUR);
  await incidents.changeStatus(incident.id, 'closed', COMMANDER, 'Rolled back v42; raised the pool size.');
  await followUps.create([
    { incidentId: incident.id, description: 'Alert on pool saturation', ownerId: SRE, dueOn: '2026-03-10', creatorId: COMMANDER },
    { incidentId: incident.id, description: 'Write a runbook for <rollbacks>', ownerId: COMMANDER, dueOn: null, creatorId: COMMANDER },
  ]);
  for (const userId of await feedback.recipients(incident.id)) await feedback.claimRequest(incident.id, userId);
  await feedback.submit({
    incidentId: incident.id,
    userId: SRE,
    rating: 4,
    wentWell: 'Fast rollback',
    toImprove: 'Alerting',
    anonymous: false,
  });
  await feedback.submit({ incidentId: incident.id, userId: QUIET, rating: 3, wentWell: '', toImprove: 'Too many pings', anonymous: true });
  return store.incidents.getById(incident.id);
}
