import BetterSqlite3 from 'better-sqlite3';
import { currentRequestContext } from '../../logging/context';
import { blockText } from '../support/incidentFlow';
import { TestApp } from '../support/testApp';

/**
 * `/dispatch help` outside an incident channel lists the person's open incidents, and is
 * answered in the ack: its SQL must not grow with the number of open incidents.
 */
const PERSON = 'U0HELPME01';
const OTHER = 'U0SOMEONE1';

type Method = 'run' | 'all' | 'get';
const statementPrototype = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<
  Method,
  (this: BetterSqlite3.Statement, ...parameters: unknown[]) => unknown
>;

/** Every statement run for a slash command from here until stop(). */
function recordCommandStatements(): { ran: string[]; stop(): void } {
  const ran: string[] = [];
  const spies = (['run', 'all', 'get'] as const).map((method) => {
    const original = statementPrototype[method];
    return jest.spyOn(statementPrototype, method).mockImplementation(function (this: BetterSqlite3.Statement, ...parameters: unknown[]) {
      if (currentRequestContext()?.kind === 'command') ran.push(this.source);
      return original.apply(this, parameters);
    });
  });
  return {
    ran,
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('/dispatch help outside an incident channel (SQLite statements)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.stop();
  });

  test("looks up the person's open incidents in a constant number of statements, however many are open", async () => {
    const { store } = app.deps;
    const now = new Date();
    const incidents = [];
    for (let index = 0; index < 14; index += 1) {
      const incident = await store.transaction((repos) =>
        repos.incidents.insert({
          namePrefix: 'dispatch',
          title: `Incident number ${index}`,
          description: 'Something is failing',
          type: 'Availability',
          priority: 'High',
          visibility: 'open',
          reporterId: OTHER,
          reportedAt: now,
        }),
      );
      const channelId = `G0HELP${String(index).padStart(4, '0')}`;
      await store.incidents.update(incident.id, { channelId, channelName: `dispatch-${incident.id}-help` }, now);
      incidents.push(incident);
    }
    // In four of them now; one they left (as the Home tab, help lists only where they are now);
    // the other nine they never joined.
    const { participants } = app.deps;
    const mine = incidents.slice(0, 4);
    for (const incident of mine) await participants.join(incident.id, PERSON);
    await participants.join(incidents[4].id, PERSON);
    await participants.leave(incidents[4].id, PERSON);
    await app.settle();

    const recording = recordCommandStatements();
    let answer: Awaited<ReturnType<TestApp['command']>>;
    try {
      answer = await app.command('/dispatch', { text: 'help', channel_id: 'C0GENERAL1', user_id: PERSON });
      await app.settle();
    } finally {
      recording.stop();
    }
    // The channel's incident (none) and the person's open incidents: one query each, where it was
    // one role lookup per open incident besides. (Before the lookup, the store asks SQLite whether
    // anything was written since it last looked, store/incidentLookupCache.ts: a pragma, no table.)
    const queries = recording.ran.filter((statement) => statement !== 'pragma data_version');
    expect(queries).toHaveLength(2);
    expect(recording.ran.length - queries.length).toBeLessThanOrEqual(1);
    const text = blockText(answer.json());
    for (const incident of mine) expect(text).toContain(`*dispatch-${incident.id}*`);
    for (const incident of incidents.slice(4)) expect(text).not.toContain(`*dispatch-${incident.id}*`);
  });
});
