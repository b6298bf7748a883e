import BetterSqlite3 from 'better-sqlite3';
import type { Incident } from '../../incidents/model';
import { type DomainFixture, useDomain } from '../support/domain';

/**
 * The busiest events of a burst are people re-joining and writing in an incident channel.
 * Each must touch the database as little as it can: counted here as statements run (every
 * query, begin and commit is one run or all of a better-sqlite3 statement).
 */
const statementMethods = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<'run' | 'all' | 'get', unknown>;

/** Counts the statements run from here until stop() (restoring forgets the calls, so stop keeps the count). */
function countStatements(): { count(): number; stop(): void } {
  const spies = (['run', 'all', 'get'] as const).map((method) => jest.spyOn(statementMethods as never, method as never));
  let stopped: number | undefined;
  const count = () => stopped ?? spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  return {
    count,
    stop: () => {
      stopped = count();
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('statements per event (SQLite)', () => {
  let domain: DomainFixture;
  let incident: Incident;
  const CHANNEL = 'C0INCIDENT1';

  useDomain('sqlite', {}, async (fixture) => {
    domain = fixture;
    const reported = await fixture.incidents.report({
      title: 'Checkout is slow',
      description: 'd',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: 'U0REPORTER',
    });
    incident = await fixture.incidents.recordSlackArtifacts(reported.id, { channelId: CHANNEL, channelName: 'dispatch-1' });
    await fixture.participants.join(incident.id, 'U0ALICE001');
  });

  it('a repeated join is one read, without a transaction', async () => {
    const statements = countStatements();
    const outcome = await domain.participants.join(incident.id, 'U0ALICE001');
    statements.stop();
    expect(outcome).toEqual({ changed: false });
    expect(statements.count()).toBe(1);
  });

  it("a participant's message is its delivery's key and one update, in one transaction", async () => {
    const statements = countStatements();
    await domain.participants.recordActivity(incident.id, 'U0ALICE001', 'message:Ev0001');
    statements.stop();
    // begin, the key claimed (so a run again after a crash counts nothing), the count, commit.
    expect(statements.count()).toBe(4);
    expect((await domain.participants.find(incident.id, 'U0ALICE001'))?.messageCount).toBe(1);
  });

  it('which incident a channel belongs to is read once, then remembered; other channels are not', async () => {
    const statements = countStatements();
    expect(await domain.incidents.refOfChannel(CHANNEL)).toEqual({ id: incident.id, name: incident.name });
    expect(await domain.incidents.refOfChannel(CHANNEL)).toEqual({ id: incident.id, name: incident.name });
    expect(statements.count()).toBe(1);
    expect(await domain.incidents.refOfChannel('C0GENERAL1')).toBeUndefined();
    expect(await domain.incidents.refOfChannel('C0GENERAL1')).toBeUndefined();
    statements.stop();
    // "No incident" is asked again each time: that channel may become an incident's a moment later.
    expect(statements.count()).toBe(3);
  });

  it('a first join still records the person with a role, in one transaction', async () => {
    const outcome = await domain.participants.join(incident.id, 'U0BOB00001');
    expect(outcome?.changed).toBe(true);
    expect((await domain.participants.find(incident.id, 'U0BOB00001'))?.roles).toEqual(['participant']);
  });
});
