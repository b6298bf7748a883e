import BetterSqlite3 from 'better-sqlite3';
import type { Incident } from '../../incidents/model';
import { type DomainFixture, useDomain } from '../support/domain';

/**
 * Every query on a hot path (an event, a command, the Home tab, the work queue) finds its rows
 * through an index: SQLite's EXPLAIN QUERY PLAN for each statement it prepared must not scan a
 * table. A scan is fine on ten rows and ruinous on 10,000 incidents, so the plan, not a timing,
 * is what this checks.
 */
interface Recorded {
  sql: string;
  connection: BetterSqlite3.Database;
}

function recordPreparedStatements(): { statements: Recorded[]; stop(): void } {
  const statements: Recorded[] = [];
  const original = BetterSqlite3.prototype.prepare;
  const spy = jest.spyOn(BetterSqlite3.prototype, 'prepare').mockImplementation(function (this: BetterSqlite3.Database, sql: string) {
    statements.push({ sql, connection: this });
    return original.call(this, sql);
  } as typeof original);
  return { statements, stop: () => spy.mockRestore() };
}

/** The plan's lines for `sql` (its parameters bound to null: plans do not depend on values here). */
function planOf({ sql, connection }: Recorded): string[] {
  const parameters = (sql.match(/\?/g) ?? []).map(() => null);
  const rows = connection.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/**
 * "SCAN t" without an index is a full scan of t; "SCAN t USING [COVERING] INDEX" walks an index.
 * Only stored tables and their aliases count: scanning a CTE of at most LIMIT rows is fine.
 */
function scansATable(detail: string, cteNames: Set<string>): boolean {
  const scanned = /^SCAN (\w+)$/.exec(detail.trim())?.[1];
  return scanned !== undefined && !cteNames.has(scanned);
}

const cteNamesOf = (sql: string) => new Set([...sql.matchAll(/"(\w+)" as (?:not )?(?:materialized )?\(/gi)].map((match) => match[1]));

describe('hot-path queries use indexes (SQLite query plans)', () => {
  let domain: DomainFixture;
  let incident: Incident;
  const CHANNEL = 'C0INCIDENT1';

  useDomain('sqlite', {}, async (fixture) => {
    domain = fixture;
    // A few incidents and people, so the planner has tables with rows and statistics to weigh.
    for (let n = 0; n < 5; n += 1) {
      const reported = await fixture.incidents.report({
        title: `Incident ${n}`,
        description: 'd',
        type: 'Other',
        priority: 'High',
        visibility: 'open',
        reporterId: 'U0REPORTER',
      });
      incident = await fixture.incidents.recordSlackArtifacts(reported.id, {
        channelId: `C0INCIDENT${n + 1}`,
        channelName: `dispatch-${n}`,
      });
      for (let person = 0; person < 5; person += 1) await fixture.participants.join(reported.id, `U0PERSON${person}`);
    }
    incident = (await fixture.incidents.findByChannel(CHANNEL)) ?? incident;
  });

  it('events, commands, the Home tab and the work queue', async () => {
    const recording = recordPreparedStatements();
    const { incidents, participants, store } = domain;
    // Events: which incident a channel is, a repeated join, a message.
    await incidents.refOfChannel(CHANNEL);
    await participants.join(incident.id, 'U0PERSON1');
    await participants.recordActivity(incident.id, 'U0PERSON1');
    await participants.recordActivity(incident.id, 'U0NEWCOMER');
    await participants.leave(incident.id, 'U0PERSON2');
    // Commands: the incident of the channel, restrictions, the participant list.
    await incidents.findByChannel(CHANNEL);
    await participants.isPrivileged(incident.id, 'U0PERSON1');
    await participants.list(incident.id);
    await participants.roleHolders(incident.id);
    // Home tab: the open incidents.
    await incidents.listOpen(30);
    // Work queue: store an event, claim it, finish it.
    await store.workQueue.enqueue({ kind: 'bench.event', dedupeKey: 'Ev1', payload: { n: 1 } });
    const [claimed] = await store.workQueue.claim({
      owner: 'w1',
      kinds: ['bench.event'],
      limit: 10,
      now: new Date(Date.now() + 1000),
      leaseMs: 30_000,
    });
    await store.workQueue.complete(claimed.id, 'w1', new Date());
    recording.stop();

    const checked = recording.statements.filter(({ sql }) => /^\s*(select|update|delete|with|insert)/i.test(sql));
    expect(checked.length).toBeGreaterThan(10);
    const scans = checked
      .map((statement) => ({ sql: statement.sql, plan: planOf(statement) }))
      .filter(({ sql, plan }) => plan.some((detail) => scansATable(detail, cteNamesOf(sql))));
    expect(scans).toEqual([]);
    // The claim walks pending work (the partial index), not every item of its kind ever stored:
    // the dedupe index (kind, dedupe_key) would also "search", through all the finished items.
    const claims = checked.filter(({ sql }) => /^\s*with "candidates"/i.test(sql));
    expect(claims).toHaveLength(1);
    expect(planOf(claims[0]).join('\n')).toMatch(/SEARCH w USING INDEX work_items_pending_idx/);
  });
});
