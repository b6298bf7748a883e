import { DomainError } from '../../incidents/errors';
import type { IncidentService } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import { type ReminderService, reminderDueAt } from '../../incidents/reminders';
import type { Store } from '../../store';
import type { ManualClock } from '../support/clock';
import { databaseKinds } from '../support/database';
import { useDomain } from '../support/domain';
import { anIncident } from '../support/incidentFixture';

const HOUR = 3_600_000;
const INTERVALS = { High: 2 * HOUR, Medium: 6 * HOUR, Low: 12 * HOUR, Info: 24 * HOUR };
const T0 = new Date('2026-11-28T09:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

const incident = (changes: Partial<Incident> = {}) => anIncident(changes, T0);

describe('reminderDueAt', () => {
  test('nothing is due before one interval after the report of the incident', () => {
    expect(reminderDueAt(incident(), null, INTERVALS, at(1.99))).toBeNull();
    expect(reminderDueAt(incident(), null, INTERVALS, at(2))).toEqual(at(2));
  });

  test('the interval follows the priority (Dispatch defaults: High 2 h, Medium 6 h, Low 12 h, Info 24 h)', () => {
    for (const [priority, hours] of [
      ['High', 2],
      ['Medium', 6],
      ['Low', 12],
      ['Info', 24],
    ] as const) {
      expect(reminderDueAt(incident({ priority }), null, INTERVALS, at(hours - 0.01))).toBeNull();
      expect(reminderDueAt(incident({ priority }), null, INTERVALS, at(hours))).toEqual(at(hours));
    }
  });

  test('counts from the last report', () => {
    expect(reminderDueAt(incident(), at(1.5), INTERVALS, at(3))).toBeNull();
    expect(reminderDueAt(incident(), at(1.5), INTERVALS, at(3.5))).toEqual(at(3.5));
  });

  test('while nobody reports, the due time steps by one interval; after downtime only the latest counts', () => {
    expect(reminderDueAt(incident(), null, INTERVALS, at(3.9))).toEqual(at(2));
    expect(reminderDueAt(incident(), null, INTERVALS, at(4))).toEqual(at(4));
    expect(reminderDueAt(incident(), null, INTERVALS, at(11))).toEqual(at(10));
  });

  test('a snooze moves the due time to its end, then steps from there', () => {
    const snoozed = incident({ reminderSnoozedUntil: at(3) });
    expect(reminderDueAt(snoozed, null, INTERVALS, at(2.5))).toBeNull();
    expect(reminderDueAt(snoozed, null, INTERVALS, at(3))).toEqual(at(3));
    expect(reminderDueAt(snoozed, null, INTERVALS, at(5.5))).toEqual(at(5));
    // A snooze that ended before the regular due time changes nothing.
    expect(reminderDueAt(incident({ reminderSnoozedUntil: at(1) }), null, INTERVALS, at(2))).toEqual(at(2));
  });

  test('stable and closed incidents, and priorities without an interval, get none', () => {
    expect(reminderDueAt(incident({ status: 'stable' }), null, INTERVALS, at(100))).toBeNull();
    expect(reminderDueAt(incident({ status: 'closed' }), null, INTERVALS, at(100))).toBeNull();
    expect(reminderDueAt(incident({ priority: 'Critical' }), null, INTERVALS, at(100))).toBeNull();
  });
});

describe.each(databaseKinds)('ReminderService on %s', (kind) => {
  let store: Store;
  let clock: ManualClock;
  let incidents: IncidentService;
  let reminders: ReminderService;
  const policy = { namePrefix: 'dispatch', types: ['Other'], priorities: Object.keys(INTERVALS) };
  useDomain(kind, { start: T0, policy, reminderIntervals: INTERVALS }, (domain) => {
    ({ store, clock, incidents, reminders } = domain);
  });

  const report = (priority: string, title = 'Checkout is failing') =>
    incidents.report({ title, description: 'd', type: 'Other', priority, visibility: 'open', reporterId: 'U0REPORTER' });

  test('lists due reminders of active incidents only, each claimed once', async () => {
    const high = await report('High');
    const low = await report('Low', 'Slow search');
    const stable = await report('High', 'Stable one');
    await incidents.changeStatus(stable.id, 'stable', 'U0REPORTER');
    clock.set(at(2));
    const due = await reminders.due();
    expect(due.map((reminder) => [reminder.incident.id, reminder.dueAt])).toEqual([[high.id, at(2)]]);
    expect(await reminders.claim(due[0])).toBe(true);
    expect(await reminders.claim(due[0])).toBe(false);
    await reminders.release(due[0]);
    expect(await reminders.claim(due[0])).toBe(true);

    clock.set(at(12));
    expect((await reminders.due()).map((reminder) => reminder.incident.id)).toEqual([high.id, low.id]);
  });

  test('uses the latest report time', async () => {
    const high = await report('High');
    clock.set(at(1));
    await store.reports.insert({
      incidentId: high.id,
      conditions: 'c',
      actions: 'a',
      needs: 'n',
      authorId: 'U0REPORTER',
      createdAt: at(1),
    });
    clock.set(at(2.5));
    expect(await reminders.due()).toEqual([]);
    clock.set(at(3));
    expect((await reminders.due())[0]).toMatchObject({ dueAt: at(3), lastReportAt: at(1) });
  });

  test('snoozes for the offered durations only, and only active incidents', async () => {
    const high = await report('High');
    clock.set(at(2));
    expect((await reminders.snooze(high.id, 60)).reminderSnoozedUntil).toEqual(at(3));
    await expect(reminders.snooze(high.id, 45)).rejects.toThrow(DomainError);
    await incidents.changeStatus(high.id, 'stable', 'U0REPORTER');
    await expect(reminders.snooze(high.id, 30)).rejects.toThrow(/gets no status report reminders/);
  });
});
