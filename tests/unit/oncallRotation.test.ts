import { EPOCH_DAY, handoffsSinceEpoch, localTime, onCallIndex, parseHandoff, type RotationSpec } from '../../oncall/rotation';

const DAY_MS = 86_400_000;
const at = (iso: string) => new Date(iso);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

const weeklyUtc: RotationSpec = { rotation: 'weekly', handoff: { weekday: 1, minutes: 9 * 60 }, timeZone: 'UTC' };
const dailyUtc: RotationSpec = { rotation: 'daily', handoff: { weekday: null, minutes: 9 * 60 }, timeZone: 'UTC' };

describe('the rotation epoch', () => {
  test('is Monday 1 January 2024', () => {
    expect(EPOCH_DAY).toBe(day('2024-01-01'));
    expect(new Date(EPOCH_DAY * DAY_MS).getUTCDay()).toBe(1);
  });

  test('the first person is on call from the first hand-off on or after it', () => {
    expect(onCallIndex(at('2024-01-01T09:00:00Z'), weeklyUtc, 3)).toBe(0);
    expect(onCallIndex(at('2024-01-01T09:00:00Z'), dailyUtc, 3)).toBe(0);
    // A weekly hand-off on Friday: the first one is Friday 5 January 2024.
    const friday: RotationSpec = { rotation: 'weekly', handoff: { weekday: 5, minutes: 17 * 60 + 30 }, timeZone: 'UTC' };
    expect(handoffsSinceEpoch(at('2024-01-05T17:30:00Z'), friday)).toBe(0);
    expect(handoffsSinceEpoch(at('2024-01-05T17:29:00Z'), friday)).toBe(-1);
  });

  test('before the epoch the rotation runs backwards: the last person had the shift before the first', () => {
    expect(onCallIndex(at('2024-01-01T08:59:00Z'), dailyUtc, 3)).toBe(2);
    expect(onCallIndex(at('2023-12-31T09:00:00Z'), dailyUtc, 3)).toBe(2);
    expect(onCallIndex(at('2023-12-30T09:00:00Z'), dailyUtc, 3)).toBe(1);
    expect(onCallIndex(at('2023-12-25T09:00:00Z'), weeklyUtc, 3)).toBe(2);
  });
});

describe('daily rotations', () => {
  test('hand over each day at the hand-off time, to the next person, wrapping around', () => {
    const people = ['2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', '2024-01-03T09:00:00Z', '2024-01-04T09:00:00Z'].map((iso) =>
      onCallIndex(at(iso), dailyUtc, 3),
    );
    expect(people).toEqual([0, 1, 2, 0]);
  });

  test('the minute before the hand-off still belongs to the previous shift', () => {
    expect(onCallIndex(at('2024-01-02T08:59:59Z'), dailyUtc, 3)).toBe(0);
    expect(onCallIndex(at('2024-01-02T09:00:00Z'), dailyUtc, 3)).toBe(1);
    expect(onCallIndex(at('2024-01-03T00:00:00Z'), dailyUtc, 3)).toBe(1);
  });

  test('count every day since the epoch, far from it too', () => {
    const instant = at('2026-07-15T10:00:00Z');
    const expected = Math.floor((instant.getTime() - Date.parse('2024-01-01T09:00:00Z')) / DAY_MS);
    expect(handoffsSinceEpoch(instant, dailyUtc)).toBe(expected);
  });
});

describe('weekly rotations', () => {
  test('hand over on the hand-off day and time only', () => {
    expect(onCallIndex(at('2024-01-07T23:59:00Z'), weeklyUtc, 2)).toBe(0); // Sunday
    expect(onCallIndex(at('2024-01-08T08:59:00Z'), weeklyUtc, 2)).toBe(0); // Monday, before 09:00
    expect(onCallIndex(at('2024-01-08T09:00:00Z'), weeklyUtc, 2)).toBe(1);
    expect(onCallIndex(at('2024-01-12T12:00:00Z'), weeklyUtc, 2)).toBe(1); // Friday
    expect(onCallIndex(at('2024-01-15T09:00:00Z'), weeklyUtc, 2)).toBe(0);
  });

  test('count every week since the epoch, far from it too', () => {
    const instant = at('2025-06-02T09:00:00Z');
    const expected = Math.floor((instant.getTime() - Date.parse('2024-01-01T09:00:00Z')) / (7 * DAY_MS));
    expect(expected).toBe(74);
    expect(handoffsSinceEpoch(instant, weeklyUtc)).toBe(74);
    expect(handoffsSinceEpoch(at('2025-06-02T08:59:00Z'), weeklyUtc)).toBe(73);
  });
});

describe('time zones', () => {
  test('hand-off times are wall-clock times in the zone', () => {
    const berlin: RotationSpec = { ...weeklyUtc, timeZone: 'Europe/Berlin' };
    // Winter: 09:00 in Berlin is 08:00 UTC.
    expect(handoffsSinceEpoch(at('2024-01-08T07:59:00Z'), berlin)).toBe(0);
    expect(handoffsSinceEpoch(at('2024-01-08T08:00:00Z'), berlin)).toBe(1);
    // Summer (CEST, after the 31 March change): 09:00 in Berlin is 07:00 UTC.
    expect(handoffsSinceEpoch(at('2024-04-01T06:59:00Z'), berlin)).toBe(12); // 91 days after the epoch: 13 weeks
    expect(handoffsSinceEpoch(at('2024-04-01T07:00:00Z'), berlin)).toBe(13);
  });

  test('the local date counts, not the UTC one', () => {
    const losAngeles: RotationSpec = { ...dailyUtc, timeZone: 'America/Los_Angeles' };
    // 03:00 UTC on 2 January is 19:00 on 1 January in Los Angeles: still the first shift.
    expect(localTime(at('2024-01-02T03:00:00Z'), 'America/Los_Angeles')).toEqual({ dayNumber: day('2024-01-01'), minutes: 19 * 60 });
    expect(handoffsSinceEpoch(at('2024-01-02T03:00:00Z'), losAngeles)).toBe(0);
    expect(handoffsSinceEpoch(at('2024-01-02T16:59:00Z'), losAngeles)).toBe(0);
    expect(handoffsSinceEpoch(at('2024-01-02T17:00:00Z'), losAngeles)).toBe(1);
  });

  test('a hand-off inside the spring-forward gap happens at the first moment after it', () => {
    // Berlin skips 02:00-03:00 on 31 March 2024; a 02:30 hand-off that day happens at 03:00 CEST (01:00 UTC).
    const berlin: RotationSpec = { rotation: 'daily', handoff: { weekday: null, minutes: 2 * 60 + 30 }, timeZone: 'Europe/Berlin' };
    const before = handoffsSinceEpoch(at('2024-03-31T00:59:00Z'), berlin);
    expect(localTime(at('2024-03-31T00:59:00Z'), 'Europe/Berlin').minutes).toBe(60 + 59);
    expect(handoffsSinceEpoch(at('2024-03-31T01:00:00Z'), berlin)).toBe(before + 1);
    expect(before).toBe(day('2024-03-30') - EPOCH_DAY);
  });

  test('a hand-off in the repeated fall-back hour happens once, at its first occurrence', () => {
    // New York repeats 01:00-02:00 on 3 November 2024: 01:30 EDT is 05:30 UTC, 01:30 EST is 06:30 UTC.
    const newYork: RotationSpec = { rotation: 'daily', handoff: { weekday: null, minutes: 90 }, timeZone: 'America/New_York' };
    const before = handoffsSinceEpoch(at('2024-11-03T05:29:00Z'), newYork);
    expect(handoffsSinceEpoch(at('2024-11-03T05:30:00Z'), newYork)).toBe(before + 1);
    expect(handoffsSinceEpoch(at('2024-11-03T06:30:00Z'), newYork)).toBe(before + 1);
    expect(handoffsSinceEpoch(at('2024-11-04T06:29:00Z'), newYork)).toBe(before + 1); // 01:29 EST the next day
    expect(handoffsSinceEpoch(at('2024-11-04T06:30:00Z'), newYork)).toBe(before + 2);
  });

  test('a week that spans a daylight saving change still hands over at 09:00 local', () => {
    const newYork: RotationSpec = { ...weeklyUtc, timeZone: 'America/New_York' };
    // Monday 4 November 2024, 09:00 EST = 14:00 UTC (the Monday before, 09:00 EDT = 13:00 UTC).
    const previous = handoffsSinceEpoch(at('2024-10-28T13:00:00Z'), newYork);
    expect(handoffsSinceEpoch(at('2024-10-28T12:59:00Z'), newYork)).toBe(previous - 1);
    expect(handoffsSinceEpoch(at('2024-11-04T13:59:00Z'), newYork)).toBe(previous);
    expect(handoffsSinceEpoch(at('2024-11-04T14:00:00Z'), newYork)).toBe(previous + 1);
  });
});

describe('hand-off times', () => {
  test.each([
    ['monday 09:00', 'weekly', { weekday: 1, minutes: 540 }],
    ['Mon 9:00', 'weekly', { weekday: 1, minutes: 540 }],
    ['sunday 23:59', 'weekly', { weekday: 0, minutes: 23 * 60 + 59 }],
    ['09:00', 'daily', { weekday: null, minutes: 540 }],
    ['0:00', 'daily', { weekday: null, minutes: 0 }],
  ] as const)('%s (%s) is read', (text, rotation, expected) => {
    expect(parseHandoff(text, rotation)).toEqual(expected);
  });

  test.each([
    ['monday', 'weekly', /a day and a time/],
    ['09:00', 'weekly', /a day and a time/],
    ['funday 09:00', 'weekly', /"funday" is not a day/],
    ['monday 25:00', 'weekly', /24-hour clock/],
    ['monday 09:00', 'daily', /time of day/],
    ['9am', 'daily', /time of day/],
  ] as const)('%s (%s) is refused with a reason', (text, rotation, reason) => {
    expect(parseHandoff(text, rotation)).toMatch(reason);
  });
});
