/**
 * Who is on call in a rotation, from the time and the time zone alone.
 *
 * The rotation epoch: the first hand-off on or after Monday 1 January 2024, in the schedule's
 * time zone. The first person listed is on call from that hand-off until the next one; each
 * hand-off passes the shift to the next person in the list, and after the last person it
 * starts again with the first. So the person on call is
 *
 *   users[(number of hand-offs from the epoch hand-off to now) mod users.length]
 *
 * (the same rule runs backwards before the epoch). Hand-offs are wall-clock times in the time
 * zone ("monday 09:00" stays 09:00 across daylight saving changes). When a hand-off time does
 * not exist on a day (skipped by a spring-forward change), it happens at the first moment after
 * the gap; when it exists twice (fall back), at the first of the two.
 */

export const ROTATIONS = ['daily', 'weekly'] as const;
export type Rotation = (typeof ROTATIONS)[number];

export interface Handoff {
  /** 0 = Sunday ... 6 = Saturday; null for daily rotations. */
  weekday: number | null;
  /** Minutes after local midnight. */
  minutes: number;
}

export interface RotationSpec {
  rotation: Rotation;
  handoff: Handoff;
  timeZone: string;
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** Monday 1 January 2024 as a day number (days since 1970-01-01). */
export const EPOCH_DAY = Date.UTC(2024, 0, 1) / 86_400_000;

export const DEFAULT_HANDOFF: Record<Rotation, Handoff> = {
  daily: { weekday: null, minutes: 9 * 60 },
  weekly: { weekday: 1, minutes: 9 * 60 },
};

const MS_PER_DAY = 86_400_000;

/** Modulo that stays non-negative for negative numbers. */
const mod = (value: number, divisor: number): number => ((value % divisor) + divisor) % divisor;

/** 0 = Sunday for a day number (1970-01-01 was a Thursday). */
export const weekdayOf = (dayNumber: number): number => mod(dayNumber + 4, 7);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date (as a day number) and time of day of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { dayNumber: number; minutes: number } {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const dayNumber = Date.UTC(parts.year, parts.month - 1, parts.day) / MS_PER_DAY;
  return { dayNumber, minutes: (parts.hour % 24) * 60 + parts.minute };
}

/**
 * How many hand-offs happened from the epoch hand-off (counted as 0) up to `at`: 0 during the
 * first shift, 1 during the second, -1 just before the epoch hand-off.
 */
export function handoffsSinceEpoch(at: Date, spec: RotationSpec): number {
  const { dayNumber, minutes } = localTime(at, spec.timeZone);
  const beforeHandoffToday = minutes < spec.handoff.minutes;
  if (spec.rotation === 'daily') {
    const lastHandoffDay = beforeHandoffToday ? dayNumber - 1 : dayNumber;
    return lastHandoffDay - EPOCH_DAY;
  }
  const weekday = spec.handoff.weekday ?? DEFAULT_HANDOFF.weekly.weekday ?? 1;
  const epochHandoffDay = EPOCH_DAY + mod(weekday - weekdayOf(EPOCH_DAY), 7);
  let daysSinceHandoff = mod(weekdayOf(dayNumber) - weekday, 7);
  if (daysSinceHandoff === 0 && beforeHandoffToday) daysSinceHandoff = 7;
  return (dayNumber - daysSinceHandoff - epochHandoffDay) / 7;
}

/** The position in the rotation's list of the person on call at `at`. */
export function onCallIndex(at: Date, spec: RotationSpec, size: number): number {
  if (size <= 0) throw new Error('a rotation needs at least one person');
  return mod(handoffsSinceEpoch(at, spec), size);
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * Reads a hand-off: "09:00" for daily rotations, "monday 09:00" (or "mon 09:00") for weekly
 * ones. Returns a sentence saying what is wrong otherwise.
 */
export function parseHandoff(text: string, rotation: Rotation): Handoff | string {
  const words = text.trim().toLowerCase().split(/\s+/);
  const example = rotation === 'weekly' ? '"monday 09:00"' : '"09:00"';
  const timeWord = words[words.length - 1] ?? '';
  const time = TIME.exec(timeWord);
  if (rotation === 'daily') {
    if (words.length !== 1 || !time) return `a daily hand-off is a time of day such as ${example} (24-hour clock)`;
    return { weekday: null, minutes: Number(time[1]) * 60 + Number(time[2]) };
  }
  if (words.length !== 2 || !time) return `a weekly hand-off is a day and a time such as ${example} (24-hour clock)`;
  const weekday = WEEKDAYS.findIndex((day) => day === words[0] || day.slice(0, 3) === words[0]);
  if (weekday === -1) return `"${words[0]}" is not a day of the week; write it as in ${example}`;
  return { weekday, minutes: Number(time[1]) * 60 + Number(time[2]) };
}
