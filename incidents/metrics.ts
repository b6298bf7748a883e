import type { IncidentTimes, MetricsQueries, MetricsViewer } from './afterClosePorts';

export type { IncidentTimes } from './afterClosePorts';

import type { Clock } from './clock';

export interface DurationStats {
  /** How many incidents have reached that point (the sample size). */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface GroupDurations {
  /** The priority or type. */
  key: string;
  incidents: number;
  toStable: DurationStats;
  toClose: DurationStats;
}

export interface WeekCount {
  /** Monday of the week, YYYY-MM-DD (UTC). */
  weekStart: string;
  total: number;
  /** Every priority of `IncidentMetrics.priorities`, zero when none. */
  byPriority: Record<string, number>;
}

export interface IncidentMetrics {
  since: Date;
  until: Date;
  /** Priorities in the order of the settings (lowest first), then any others found. */
  priorities: string[];
  types: string[];
  incidents: number;
  weeks: WeekCount[];
  byPriority: GroupDurations[];
  byType: GroupDurations[];
  overdueFollowUps: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Monday 00:00 UTC of the week `date` falls in. */
export function weekStart(date: Date): Date {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const daysSinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - daysSinceMonday * DAY_MS);
}

/** The last `weeks` weeks up to now: from Monday of the first of them to now. */
export function recentWeeks(now: Date, weeks = 12): { since: Date; until: Date } {
  return { since: new Date(weekStart(now).getTime() - (weeks - 1) * WEEK_MS), until: now };
}

/**
 * The p-th percentile (0..1) of ascending values, interpolating linearly between the two
 * nearest ranks (the common "type 7" definition, as in spreadsheets and numpy's default).
 */
export function percentile(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = (ascending.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return ascending[lower] + (ascending[upper] - ascending[lower]) * (rank - lower);
}

function stats(durations: number[]): DurationStats {
  const ascending = [...durations].sort((a, b) => a - b);
  return { count: ascending.length, medianMs: percentile(ascending, 0.5), p90Ms: percentile(ascending, 0.9) };
}

function orderedKeys(known: readonly string[], found: Iterable<string>): string[] {
  const extra = [...new Set(found)].filter((key) => !known.includes(key)).sort();
  return [...known, ...extra];
}

function groupDurations(incidents: IncidentTimes[], keys: string[], keyOf: (incident: IncidentTimes) => string): GroupDurations[] {
  return keys.map((key) => {
    const group = incidents.filter((incident) => keyOf(incident) === key);
    const toStable = group.flatMap((incident) => (incident.stableAt ? [incident.stableAt.getTime() - incident.reportedAt.getTime()] : []));
    const toClose = group.flatMap((incident) => (incident.closedAt ? [incident.closedAt.getTime() - incident.reportedAt.getTime()] : []));
    return { key, incidents: group.length, toStable: stats(toStable), toClose: stats(toClose) };
  });
}

/**
 * Incidents per week by priority, and median / 90th percentile time from report to stable and
 * to close, per priority and per type. Only incidents reported in [since, until) count; an
 * incident counts towards a duration once it reached that point (a reopened one is not stable).
 */
export function computeMetrics(
  all: IncidentTimes[],
  options: { since: Date; until: Date; priorities: readonly string[]; types: readonly string[]; overdueFollowUps?: number },
): IncidentMetrics {
  const { since, until } = options;
  const incidents = all.filter((incident) => incident.reportedAt >= since && incident.reportedAt < until);
  const priorities = orderedKeys(
    options.priorities,
    incidents.map((incident) => incident.priority),
  );
  const types = orderedKeys(
    options.types,
    incidents.map((incident) => incident.type),
  );
  const weeks: WeekCount[] = [];
  const lastWeek = weekStart(new Date(until.getTime() - 1)).getTime();
  for (let start = weekStart(since).getTime(); start <= lastWeek; start += WEEK_MS) {
    const inWeek = incidents.filter((incident) => weekStart(incident.reportedAt).getTime() === start);
    const byPriority = Object.fromEntries(priorities.map((priority) => [priority, inWeek.filter((i) => i.priority === priority).length]));
    weeks.push({ weekStart: utcDay(new Date(start)), total: inWeek.length, byPriority });
  }
  return {
    since,
    until,
    priorities,
    types,
    incidents: incidents.length,
    weeks,
    byPriority: groupDurations(incidents, priorities, (incident) => incident.priority),
    byType: groupDurations(incidents, types, (incident) => incident.type),
    overdueFollowUps: options.overdueFollowUps ?? 0,
  };
}

/** The figures as a person or an admin asks for them, from the store's read-only queries. */
export class MetricsService {
  constructor(
    private readonly queries: MetricsQueries,
    private readonly clock: Clock,
    private readonly policy: { priorities: readonly string[]; types: readonly string[] },
  ) {}

  /** The figures for a period, counting only incidents the viewer may see. */
  async forPeriod(viewer: MetricsViewer, window: { since: Date; until: Date }): Promise<IncidentMetrics> {
    const [incidents, overdueFollowUps] = await Promise.all([
      this.queries.incidentsReported(window.since, window.until, viewer),
      this.queries.overdueFollowUps(utcDay(window.until), viewer),
    ]);
    return computeMetrics(incidents, { ...window, ...this.policy, overdueFollowUps });
  }

  /** The Home tab's figures: the last 12 weeks, as this person may see them. */
  recentFor(userId: string): Promise<IncidentMetrics> {
    return this.forPeriod({ kind: 'user', userId }, recentWeeks(this.clock.now(), 12));
  }

  /** Incidents closed within `withinMs` that asked for feedback, latest first, at most `limit`; only `commanderId`'s when given. */
  closedWithFeedback(withinMs: number, commanderId: string | null, limit: number): Promise<number[]> {
    return this.queries.closedWithFeedback(new Date(this.clock.now().getTime() - withinMs), commanderId, limit);
  }

  /** Ids of incidents closed within the last `withinMs` but at least `atLeastMs` ago. */
  closedAgo(withinMs: number, atLeastMs = 0): Promise<number[]> {
    const now = this.clock.now().getTime();
    return this.queries.closedBetween(new Date(now - withinMs), new Date(now - atLeastMs));
  }
}
