import type { DurationStats, IncidentMetrics } from '../incidents/metrics';

const minutes = (ms: number | null): string => (ms === null ? '' : String(Math.round((ms / 60_000) * 10) / 10));

/** A CSV cell: quoted when it holds a comma, a quote or a line break; a leading =+-@ is defused for spreadsheets. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = [
  'section',
  'week_start',
  'priority',
  'type',
  'incidents',
  'to_stable_count',
  'to_stable_median_minutes',
  'to_stable_p90_minutes',
  'to_close_count',
  'to_close_median_minutes',
  'to_close_p90_minutes',
] as const;

const statsCells = (stats: DurationStats) => [String(stats.count), minutes(stats.medianMs), minutes(stats.p90Ms)];

/**
 * The figures as one CSV table (RFC 4180, CRLF): a `week` row per week and priority, a
 * `priority` and a `type` row per group with its durations in minutes, and `overdue_follow_ups`.
 */
export function metricsCsv(metrics: IncidentMetrics): string {
  const rows: string[][] = [[...CSV_HEADER]];
  for (const week of metrics.weeks) {
    for (const priority of metrics.priorities)
      rows.push(['week', week.weekStart, priority, '', String(week.byPriority[priority] ?? 0), '', '', '', '', '', '']);
  }
  for (const group of metrics.byPriority)
    rows.push(['priority', '', group.key, '', String(group.incidents), ...statsCells(group.toStable), ...statsCells(group.toClose)]);
  for (const group of metrics.byType)
    rows.push(['type', '', '', group.key, String(group.incidents), ...statsCells(group.toStable), ...statsCells(group.toClose)]);
  rows.push(['overdue_follow_ups', '', '', '', String(metrics.overdueFollowUps), '', '', '', '', '', '']);
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** The figures as JSON: dates as ISO text, durations in milliseconds as computed. */
export function metricsJson(metrics: IncidentMetrics): string {
  return `${JSON.stringify({ ...metrics, since: metrics.since.toISOString(), until: metrics.until.toISOString() }, null, 2)}\n`;
}
