/** Where "now" comes from, so tests can move time (reminders, rotations) without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
