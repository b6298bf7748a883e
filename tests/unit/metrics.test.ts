import { computeMetrics, type IncidentMetrics, percentile, recentWeeks, weekStart } from '../../incidents/metrics';
import { Store } from '../../store';
import { NOW, OUTSIDER, RESPONDER, seedMetricsRecord } from '../support/afterfireRecord';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

const PRIORITIES = ['Info', 'Low', 'Medium', 'High'];
const TYPES = ['Other', 'Security', 'Availability', 'Performance', 'Data'];
const MIN = 60_000;

describe('percentiles and weeks', () => {
  test('median and 90th percentile interpolate between the nearest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    // rank (10 - 1) * 0.9 = 8.1: 9 + 0.1 * (10 - 9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
  });

  test('weeks start on Monday, UTC; the last 12 weeks end with the current one', () => {
    expect(weekStart(new Date('2026-03-18T12:00:00Z')).toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(weekStart(new Date('2026-03-16T00:00:00Z')).toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(weekStart(new Date('2026-03-15T23:59:59Z')).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(recentWeeks(NOW).since.toISOString()).toBe('2025-12-29T00:00:00.000Z');
  });
});

describe.each(databaseKinds)('metrics from a seeded record on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
    await seedMetricsRecord(store);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  async function metricsFor(viewer: { kind: 'everyone' } | { kind: 'user'; userId: string }): Promise<IncidentMetrics> {
    const window = recentWeeks(NOW);
    const incidents = await store.metrics.incidentsReported(window.since, window.until, viewer);
    return computeMetrics(incidents, { ...window, priorities: PRIORITIES, types: TYPES });
  }

  const group = (metrics: IncidentMetrics, list: 'byPriority' | 'byType', key: string) => {
    const found = metrics[list].find((entry) => entry.key === key);
    if (!found) throw new Error(`no ${key}`);
    return found;
  };

  test('someone outside the restricted incident: A-E count, F is before the window, G is not theirs', async () => {
    const metrics = await metricsFor({ kind: 'user', userId: OUTSIDER });
    expect(metrics.incidents).toBe(5);
    expect(metrics.weeks).toHaveLength(12);
    expect(metrics.weeks[0].weekStart).toBe('2025-12-29');
    expect(metrics.weeks.at(-1)?.weekStart).toBe('2026-03-16');
    const week = (start: string) => metrics.weeks.find((entry) => entry.weekStart === start)?.byPriority;
    expect(week('2026-03-02')).toEqual({ Info: 0, Low: 0, Medium: 0, High: 2 });
    expect(week('2026-03-09')).toEqual({ Info: 0, Low: 1, Medium: 0, High: 1 });
    expect(week('2026-03-16')).toEqual({ Info: 0, Low: 1, Medium: 0, High: 0 });
    expect(metrics.weeks.reduce((sum, entry) => sum + entry.total, 0)).toBe(5);

    // High: to stable 30, 60, 90 min -> median 60, p90 60 + 0.8 * 30 = 84; to close 120, 240, 480 -> 240 and 240 + 0.8 * 240 = 432.
    expect(group(metrics, 'byPriority', 'High')).toEqual({
      key: 'High',
      incidents: 3,
      toStable: { count: 3, medianMs: 60 * MIN, p90Ms: 84 * MIN },
      toClose: { count: 3, medianMs: 240 * MIN, p90Ms: 432 * MIN },
    });
    // Low: D stable after 10 min, never closed; E still active.
    expect(group(metrics, 'byPriority', 'Low')).toEqual({
      key: 'Low',
      incidents: 2,
      toStable: { count: 1, medianMs: 10 * MIN, p90Ms: 10 * MIN },
      toClose: { count: 0, medianMs: null, p90Ms: null },
    });
    expect(group(metrics, 'byPriority', 'Medium').incidents).toBe(0);
    expect(group(metrics, 'byType', 'Availability')).toMatchObject({
      incidents: 4,
      toStable: { count: 3, medianMs: 60 * MIN, p90Ms: 84 * MIN },
      toClose: { count: 3, medianMs: 240 * MIN, p90Ms: 432 * MIN },
    });
    expect(group(metrics, 'byType', 'Security')).toMatchObject({ incidents: 1, toStable: { count: 1, medianMs: 10 * MIN } });
  });

  test('a participant of the restricted incident also counts G', async () => {
    const metrics = await metricsFor({ kind: 'user', userId: RESPONDER });
    expect(metrics.incidents).toBe(6);
    expect(metrics.weeks.at(-1)?.byPriority).toEqual({ Info: 0, Low: 1, Medium: 1, High: 0 });
    expect(group(metrics, 'byPriority', 'Medium')).toEqual({
      key: 'Medium',
      incidents: 1,
      toStable: { count: 1, medianMs: 20 * MIN, p90Ms: 20 * MIN },
      toClose: { count: 1, medianMs: 40 * MIN, p90Ms: 40 * MIN },
    });
    // Security: D 10 min and G 20 min to stable -> median 15, p90 10 + 0.9 * 10 = 19.
    expect(group(metrics, 'byType', 'Security').toStable).toEqual({ count: 2, medianMs: 15 * MIN, p90Ms: 19 * MIN });
  });

  test('an admin export counts everything since a date', async () => {
    const since = new Date('2025-11-01T00:00:00Z');
    const incidents = await store.metrics.incidentsReported(since, NOW, { kind: 'everyone' });
    const metrics = computeMetrics(incidents, { since, until: NOW, priorities: PRIORITIES, types: TYPES });
    expect(metrics.incidents).toBe(7);
    // High: A, B, C and F (5 min): to stable 5, 30, 60, 90 -> median 45, p90 rank 2.7: 60 + 0.7 * 30 = 81.
    expect(group(metrics, 'byPriority', 'High').toStable).toEqual({ count: 4, medianMs: 45 * MIN, p90Ms: 81 * MIN });
  });
});
