import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import type { Incident } from '../../incidents/model';
import { postgresUrl } from '../support/database';
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

/**
 * On PostgreSQL every statement is a round trip to another process. The stored events of a
 * burst run together (the worker starts a claimed batch at once), so their busiest effects
 * share statements: counted here as queries sent on any connection.
 */
(postgresUrl ? describe : describe.skip)('statements per burst of events (PostgreSQL)', () => {
  let domain: DomainFixture;
  let incident: Incident;
  const people = Array.from({ length: 20 }, (_, index) => `U0PERSON${String(index).padStart(2, '0')}`);

  useDomain('postgres', {}, async (fixture) => {
    domain = fixture;
    incident = await fixture.incidents.report({
      title: 'Checkout is slow',
      description: 'd',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: 'U0REPORTER',
    });
    for (const person of people) await fixture.participants.join(incident.id, person);
  });

  /** Counts the queries sent to PostgreSQL from here until stop(). */
  function countQueries(): { count(): number; stop(): void } {
    const spy = jest.spyOn(Client.prototype, 'query');
    let stopped: number | undefined;
    const count = () => stopped ?? spy.mock.calls.length;
    return {
      count,
      stop: () => {
        stopped = count();
        spy.mockRestore();
      },
    };
  }

  const messageCounts = async () =>
    Object.fromEntries((await domain.participants.list(incident.id)).map((participant) => [participant.userId, participant.messageCount]));

  it('forty messages run together are counted in one statement, each exactly once', async () => {
    const messages = people.flatMap((person, index) => [`message:Ev${index}a`, `message:Ev${index}b`].map((key) => ({ person, key })));
    const queries = countQueries();
    await Promise.all(messages.map(({ person, key }) => domain.participants.recordActivity(incident.id, person, key)));
    queries.stop();
    expect(queries.count()).toBe(1);
    expect(Object.values(await messageCounts())).toEqual(people.map(() => 2));

    // Run again (a crash before their work items were completed): nothing counted twice, still one statement.
    const again = countQueries();
    await Promise.all(messages.map(({ person, key }) => domain.participants.recordActivity(incident.id, person, key)));
    again.stop();
    expect(again.count()).toBe(1);
    expect(Object.values(await messageCounts())).toEqual(people.map(() => 2));
  });

  it('one key twice in a group counts once; a writer never seen joining becomes a participant with their message', async () => {
    await Promise.all([
      domain.participants.recordActivity(incident.id, people[0], 'message:EvSame'),
      domain.participants.recordActivity(incident.id, people[0], 'message:EvSame'),
      domain.participants.recordActivity(incident.id, 'U0NEWCOMER', 'message:EvNew'),
      domain.participants.recordActivity(incident.id, people[1], 'message:EvOther'),
    ]);
    const counts = await messageCounts();
    expect([counts[people[0]], counts[people[1]], counts.U0NEWCOMER]).toEqual([1, 1, 1]);
    expect((await domain.participants.find(incident.id, 'U0NEWCOMER'))?.roles).toEqual(['participant']);
  });

  it('twenty repeated joins run together are one read', async () => {
    const queries = countQueries();
    const outcomes = await Promise.all(people.map((person) => domain.participants.join(incident.id, person)));
    queries.stop();
    expect(outcomes).toEqual(people.map(() => ({ changed: false })));
    expect(queries.count()).toBe(1);
  });
});
