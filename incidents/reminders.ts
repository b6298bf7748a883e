import type { Clock } from './clock';
import { DomainError } from './errors';
import type { Incident } from './model';
import type { UnitOfWork } from './ports';

/** How long the last report of an active incident may be, per priority (settings). */
export type ReminderIntervals = Readonly<Record<string, number>>;

/** The snoozes a reminder offers, in minutes; anything else is refused (button values can be forged). */
export const SNOOZE_MINUTES = [30, 60, 120] as const;

export interface DueReminder {
  incident: Incident;
  /** The due time this reminder is for: the key that makes it go out once. */
  dueAt: Date;
  /** The latest report, or null when there is none yet. */
  lastReportAt: Date | null;
}

/**
 * The reminder due at `now`, or null. Active incidents only, and only priorities with an
 * interval. The first due time is one interval after the last report (or the report of the
 * incident), moved to the end of a snooze; while nobody reports, one more falls due every
 * interval after that. After downtime only the latest due time counts, so nobody gets a
 * backlog of reminders at once.
 */
export function reminderDueAt(incident: Incident, lastReportAt: Date | null, intervals: ReminderIntervals, now: Date): Date | null {
  if (incident.status !== 'active') return null;
  const interval = intervals[incident.priority];
  if (!interval || interval <= 0) return null;
  const since = (lastReportAt ?? incident.reportedAt).getTime();
  let first = since + interval;
  if (incident.reminderSnoozedUntil) first = Math.max(first, incident.reminderSnoozedUntil.getTime());
  const at = now.getTime();
  if (at < first) return null;
  return new Date(first + Math.floor((at - first) / interval) * interval);
}

/** Status report reminders: which are due, claiming each once (on any replica), snoozing. */
export class ReminderService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
    private readonly intervals: ReminderIntervals,
  ) {}

  /** Reminders due now for active incidents, oldest incident first. */
  async due(): Promise<DueReminder[]> {
    const now = this.clock.now();
    const active = await this.store.incidents.listByStatus('active');
    if (active.length === 0) return [];
    const latest = await this.store.reports.latestTimes(active.map((incident) => incident.id));
    const due: DueReminder[] = [];
    for (const incident of active) {
      const lastReportAt = latest.get(incident.id) ?? null;
      const dueAt = reminderDueAt(incident, lastReportAt, this.intervals, now);
      if (dueAt) due.push({ incident, dueAt, lastReportAt });
    }
    return due;
  }

  /** True for exactly one caller per incident and due time, across replicas and restarts. */
  claim(reminder: DueReminder): Promise<boolean> {
    return this.store.reminders.claim(reminder.incident.id, reminder.dueAt, this.clock.now());
  }

  /** Gives the claim back (sending failed), so the next scan tries again. */
  release(reminder: DueReminder): Promise<void> {
    return this.store.reminders.release(reminder.incident.id, reminder.dueAt);
  }

  /** No reminder before now + minutes. Only for active incidents; only the offered durations. */
  async snooze(incidentId: number, minutes: number): Promise<Incident> {
    if (!(SNOOZE_MINUTES as readonly number[]).includes(minutes)) {
      throw new DomainError(`Reminders can be snoozed for ${SNOOZE_MINUTES.join(', ')} minutes.`, 'bad_snooze');
    }
    const incident = await this.store.incidents.findById(incidentId);
    if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
    if (incident.status !== 'active') {
      throw new DomainError(`${incident.name} is ${incident.status}, so it gets no status report reminders.`, 'snooze_inactive');
    }
    const now = this.clock.now();
    return this.store.incidents.update(incidentId, { reminderSnoozedUntil: new Date(now.getTime() + minutes * 60_000) }, now);
  }
}
