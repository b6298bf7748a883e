import BetterSqlite3 from 'better-sqlite3';
import type { Incident } from '../../incidents/model';
import { currentRequestContext } from '../../logging/context';
import { SLACK_EVENT_WORK } from '../../server/receiver/eventInbox';
import { COMMANDER, reportIncident } from '../support/incidentFlow';
import { channelMessage, envelope, memberJoined } from '../support/payloads';
import { TestApp } from '../support/testApp';

/**
 * The whole cost in SQL of the busiest events of a burst, from the ack to the finished work
 * item: the statements run on behalf of one delivery (in its request context: the ack, the
 * replay through its listener, the completion), plus any claim that returned its work item.
 */
const HELPER = 'U0HELPER01';

type Method = 'run' | 'all' | 'get';
interface Ran {
  sql: string;
  user: string | undefined;
  rows: unknown;
}

const statementPrototype = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<
  Method,
  (this: BetterSqlite3.Statement, ...parameters: unknown[]) => unknown
>;

/** Records every statement run from here until stop(): its SQL, whose event it ran for, what it returned. */
function recordStatements(): { ran: Ran[]; stop(): void } {
  const ran: Ran[] = [];
  const spies = (['run', 'all', 'get'] as const).map((method) => {
    const original = statementPrototype[method];
    return jest.spyOn(statementPrototype, method).mockImplementation(function (this: BetterSqlite3.Statement, ...parameters: unknown[]) {
      const rows = original.apply(this, parameters);
      const context = currentRequestContext();
      ran.push({ sql: this.source, user: context?.kind === 'event' ? context.user : undefined, rows });
      return rows;
    });
  });
  return {
    ran,
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** "insert into work_items", "update participants": enough to read what an event cost. */
function shape(sql: string): string {
  const match = /^\s*(?:with .*?\)\s*)?(select|insert into|update|delete from)\s+(?:.*? from\s+)?"(\w+)"/is.exec(sql);
  return match ? `${match[1].toLowerCase().split(' ')[0]} ${match[2]}` : sql.trim().split(/\s+/)[0].toLowerCase();
}

describe('statements per event, from the ack to the finished work item (SQLite)', () => {
  let app: TestApp;
  let incident: Incident;
  let channel: string;

  beforeAll(async () => {
    app = await TestApp.start();
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channel = incident.channelId as string;
    app.fake.channels.get(channel)?.members.add(HELPER);
    await app.event(memberJoined(HELPER, channel));
    await app.settle();
  });
  afterAll(async () => {
    await app.stop();
  });

  /**
   * Delivers the event and returns the shapes of the statements it cost, once its work is done.
   * What is measured is an event handed over in memory: stored already leased to this process,
   * so no claim query ever returned it. A worker that is busy (the event loop late on a loaded
   * machine) leaves the event to a claim instead; then a fresh copy is tried, up to 5 times.
   */
  async function costOf(makeEvent: () => ReturnType<typeof envelope>): Promise<{ cost: string[]; deliveries: number }> {
    for (let delivery = 1; ; delivery += 1) {
      const event = makeEvent();
      const recording = recordStatements();
      try {
        const answer = await app.event(event);
        expect(answer.status).toBe(200);
        await app.settle();
      } finally {
        recording.stop();
      }
      const item = await app.deps.store.workQueue.find(SLACK_EVENT_WORK, event.event_id);
      expect(item?.status).toBe('done');
      const claimedIt = recording.ran.some(
        ({ sql, rows }) =>
          /^\s*with "candidates"/i.test(sql) && Array.isArray(rows) && rows.some((row) => (row as { id?: unknown }).id === item?.id),
      );
      if (claimedIt && delivery < 5) continue;
      expect(claimedIt).toBe(false);
      return {
        cost: recording.ran.filter((statement) => statement.user === HELPER).map((statement) => shape(statement.sql)),
        deliveries: delivery,
      };
    }
  }

  it('a repeated join of a participant: the ack stores it, one read, one completion; Slack is not called', async () => {
    const calls = app.fake.calls.length;
    const { cost } = await costOf(() => envelope(memberJoined(HELPER, channel)));
    expect(cost).toEqual(['insert work_items', 'select participants', 'update work_items']);
    // Nothing changed: nobody is welcomed again or caught up.
    expect(app.fake.calls.slice(calls).map((call) => call.method)).toEqual([]);
  });

  it("a participant's message: the ack stores it, one transaction counts it once, one completion", async () => {
    const before = (await app.deps.participants.find(incident.id, HELPER))?.messageCount ?? 0;
    const { cost, deliveries } = await costOf(() => envelope(channelMessage(HELPER, channel, 'looking at the dashboards')));
    // The event id is claimed in the transaction that counts the message, so a run again after a
    // crash before the completion counts nothing (one commit: the key and the count).
    expect(cost).toEqual(['insert work_items', 'begin', 'insert processed_events', 'update participants', 'commit', 'update work_items']);
    expect((await app.deps.participants.find(incident.id, HELPER))?.messageCount).toBe(before + deliveries);
  });
});
