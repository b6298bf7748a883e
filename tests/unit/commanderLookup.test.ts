import BetterSqlite3 from 'better-sqlite3';
import { type DomainFixture, useDomain } from '../support/domain';

/**
 * Every command and most events read their incident with its current commander. The commander
 * comes from a partial unique index (role = 'commander' and not revoked). SQLite only treats
 * that index as a single-row lookup when the query names the role as a literal: with
 * "role = ?" the plan looks the same, but the statement costs about three times as much
 * (measured: ~24 µs against ~9 µs per lookup on one incident of 200 participants). The plan
 * cannot tell the two apart, so this reads the SQL the store prepares.
 */
describe('the incident lookup names its commander role as a literal', () => {
  let domain: DomainFixture;
  useDomain('sqlite', {}, (fixture) => {
    domain = fixture;
  });

  test('findByChannel and get prepare "role" = \'commander\' with limit 1, not parameters', async () => {
    // Watched from the start: the store prepares each text once per connection, then reuses it.
    const prepared: string[] = [];
    const original = BetterSqlite3.prototype.prepare;
    const spy = jest.spyOn(BetterSqlite3.prototype, 'prepare').mockImplementation(function (this: BetterSqlite3.Database, sql: string) {
      prepared.push(sql);
      return original.call(this, sql);
    } as typeof original);
    const reported = await domain.incidents.report({
      title: 'Checkout is slow',
      description: 'd',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: 'U0REPORTER',
    });
    try {
      await domain.incidents.recordSlackArtifacts(reported.id, { channelId: 'C0LOOKUP01', channelName: 'dispatch-1' });
      expect((await domain.incidents.findByChannel('C0LOOKUP01'))?.id).toBe(reported.id);
      expect((await domain.incidents.get(reported.id))?.commanderId).toBe('U0REPORTER');
    } finally {
      spy.mockRestore();
    }
    const lookups = prepared.filter((sql) => sql.includes('"commander_id"'));
    expect(lookups.length).toBeGreaterThan(0);
    for (const sql of lookups) {
      expect(sql).toContain(`"r"."role" = 'commander'`);
      expect(sql).toMatch(/"r"\."revoked_at" is null limit 1\)/);
    }
  });
});
