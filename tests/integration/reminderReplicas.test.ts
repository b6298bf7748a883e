import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../support/clock';
import { postgresSchema, postgresUrl, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, reportIncident } from '../support/incidentFlow';
import { TestApp } from '../support/testApp';

const TWO_HOURS = 2 * 3_600_000;
const ENV = { STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' };

/** The same database for another app instance: only the test drops it, at the end. */
const shared = (database: TestDatabase): TestDatabase => ({ ...database, drop: async () => undefined });

const reminderDms = (fake: FakeSlack) =>
  fake.callsTo('chat.postMessage').filter((call) => call.response.ok === true && blockText(call.args).includes('needs a status report'));

describe('status report reminders are sent once', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  });
  afterEach(() => fake.stop());

  test('across a restart on the same database', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dispatch-reminders-'));
    const database: TestDatabase = { kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined };
    const clock = new ManualClock();
    try {
      const before = await TestApp.start({ fake, database, clock, env: ENV });
      await reportIncident(before, { answers: { commander: COMMANDER, priority: 'High' } });
      clock.advance(TWO_HOURS);
      expect((await before.running.reminders.runOnce()).sent).toBe(1);
      await before.stop();

      const after = await TestApp.start({ fake, database, clock, env: ENV });
      try {
        expect(await after.running.reminders.runOnce()).toEqual({ sent: 0, skipped: 1, failed: 0 });
      } finally {
        await after.stop();
      }
      expect(reminderDms(fake)).toHaveLength(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  const withPostgres = postgresUrl ? test : test.skip;
  withPostgres('with two app instances on one PostgreSQL database (set TEST_DATABASE_URL to run)', async () => {
    const database = await postgresSchema();
    const clock = new ManualClock();
    const first = await TestApp.start({ fake, database: shared(database), clock, env: ENV });
    const second = await TestApp.start({ fake, database: shared(database), clock, env: ENV });
    try {
      await reportIncident(first, { answers: { commander: COMMANDER, priority: 'High' } });
      await reportIncident(second, { title: 'Search is slow', answers: { commander: COMMANDER, priority: 'Medium' } });
      clock.advance(TWO_HOURS);
      // Several rounds of concurrent scans: each due reminder goes out once, from one instance or the other.
      const rounds = [];
      for (let round = 0; round < 3; round += 1) {
        rounds.push(...(await Promise.all([first.running.reminders.runOnce(), second.running.reminders.runOnce()])));
      }
      expect(rounds.reduce((sum, result) => sum + result.sent, 0)).toBe(1);
      expect(reminderDms(fake)).toHaveLength(1);
      expect(blockText(reminderDms(fake)[0].args)).toContain('dispatch-1');

      clock.advance(4 * 3_600_000); // the Medium one falls due (6 h), the High one a second time
      const later = await Promise.all([first.running.reminders.runOnce(), second.running.reminders.runOnce()]);
      expect(later.reduce((sum, result) => sum + result.sent, 0)).toBe(2);
      expect(reminderDms(fake)).toHaveLength(3);
    } finally {
      await first.stop();
      await second.stop();
      await database.drop();
    }
  });
});
