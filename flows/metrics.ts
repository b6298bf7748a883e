import { computeMetrics, type IncidentMetrics, recentWeeks, utcDay } from '../incidents/metrics';
import type { Dependencies } from '../server/dependencies';
import type { MetricsViewer } from '../store/metrics';

type MetricsDeps = Pick<Dependencies, 'store' | 'settings' | 'clock'>;

/** The figures for a period, counting only incidents the viewer may see. */
export async function metricsFor(deps: MetricsDeps, viewer: MetricsViewer, window: { since: Date; until: Date }): Promise<IncidentMetrics> {
  const [incidents, overdueFollowUps] = await Promise.all([
    deps.store.metrics.incidentsReported(window.since, window.until, viewer),
    deps.store.metrics.overdueFollowUps(utcDay(window.until), viewer),
  ]);
  return computeMetrics(incidents, {
    ...window,
    priorities: deps.settings.incident.priorities,
    types: deps.settings.incident.types,
    overdueFollowUps,
  });
}

/** The Home tab's figures: the last 12 weeks, as this person may see them. */
export function homeMetrics(deps: MetricsDeps, userId: string): Promise<IncidentMetrics> {
  return metricsFor(deps, { kind: 'user', userId }, recentWeeks(deps.clock.now(), 12));
}
