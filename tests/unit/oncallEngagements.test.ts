import type { OncallEngagements } from '../../oncall/engagements';
import type { Store } from '../../store';
import type { ManualClock } from '../support/clock';
import { databaseKinds } from '../support/database';
import { useDomain } from '../support/domain';

const policy = { namePrefix: 'dispatch', types: ['Other'], priorities: ['Info', 'Low', 'Medium', 'High'] };
const REPORTER = 'U0REPORTER';

describe.each(databaseKinds)('recording on-call engagements on %s', (kind) => {
  let store: Store;
  let clock: ManualClock;
  let engagements: OncallEngagements;
  let incidentId: number;

  useDomain(kind, { start: '2024-05-06T10:00:00Z', policy }, async (domain) => {
    ({ store, clock, oncallEngagements: engagements } = domain);
    const incident = await domain.incidents.report({
      title: 'Checkout is failing',
      description: 'HTTP 500',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: REPORTER,
    });
    incidentId = incident.id;
  });

  test('the people engaged become participants, each engagement is kept, and the timeline says so', async () => {
    clock.advance(60_000);
    await engagements.record({
      incidentId,
      service: 'Payments API',
      userIds: ['U0ALICE01', 'U0BOB0001'],
      engagedBy: REPORTER,
      note: 'Card processor',
      paged: true,
    });
    expect(await store.oncallEngagements.listForIncident(incidentId)).toEqual([
      expect.objectContaining({ service: 'Payments API', userId: 'U0ALICE01', engagedBy: REPORTER, paged: true, note: 'Card processor' }),
      expect.objectContaining({ userId: 'U0BOB0001', engagedAt: new Date('2024-05-06T10:01:00Z') }),
    ]);
    expect((await store.participants.list(incidentId)).map((participant) => participant.userId)).toEqual(['U0ALICE01', 'U0BOB0001']);
    const timeline = await store.db.selectFrom('timeline_events').select(['kind', 'text']).where('kind', '=', 'oncall').execute();
    expect(timeline).toEqual([{ kind: 'oncall', text: 'On-call engaged for Payments API: 2 people, paged' }]);
  });
});
