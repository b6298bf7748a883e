import { Store } from '../../store';
import { GroupedEnqueue } from '../../store/ackLane';
import type { EnqueueResult, NewWorkItem } from '../../store/workQueue';
import { WorkQueueRepository } from '../../store/workQueue';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

/** The acks' group commit: concurrent acks share one INSERT, and each hears only of its own item. */
describe.each(databaseKinds)('grouped enqueue on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const event = (key: string, leaseTo?: NewWorkItem['leaseTo']): NewWorkItem => ({
    kind: 'slack.event',
    dedupeKey: key,
    payload: { key },
    leaseTo,
  });

  test('acks of one turn are one statement; leased and unleased items mix; each gets its own result', async () => {
    const grouped = new GroupedEnqueue(store.workQueue);
    const until = new Date(Date.now() + 30_000);
    const results = await Promise.all([
      grouped.enqueue(event('Ev1', { owner: 'w1', until })),
      grouped.enqueue(event('Ev2')),
      grouped.enqueue(event('Ev3', { owner: 'w1', until })),
    ]);
    expect(grouped.stats).toEqual({ items: 3, statements: 1 });
    expect(results.map((result) => result.created)).toEqual([true, true, true]);
    expect(new Set(results.map((result) => result.id)).size).toBe(3);
    expect(results.map((result) => result.leased?.dedupeKey)).toEqual(['Ev1', undefined, 'Ev3']);

    const stored = await Promise.all(['Ev1', 'Ev2', 'Ev3'].map((key) => store.workQueue.find('slack.event', key)));
    expect(stored.map((item) => [item?.id, item?.leaseOwner, item?.attempts, item?.payload])).toEqual([
      [results[0].id, 'w1', 1, { key: 'Ev1' }],
      [results[1].id, null, 0, { key: 'Ev2' }],
      [results[2].id, 'w1', 1, { key: 'Ev3' }],
    ]);
    // A leased item is nobody else's to claim until its lease runs out; the unleased one is.
    const claimed = await store.workQueue.claim({ owner: 'w2', kinds: ['slack.event'], limit: 10, now: new Date(), leaseMs: 30_000 });
    expect(claimed.map((item) => item.dedupeKey)).toEqual(['Ev2']);
  });

  test('under load, groups are at least the interval apart, so acks arriving meanwhile share the next one', async () => {
    const grouped = new GroupedEnqueue(store.workQueue, { minIntervalMs: 30 });
    await grouped.enqueue(event('Ev0'));
    // Arriving in three turns of the event loop, within the interval after the first group.
    const later = [grouped.enqueue(event('Ev1'))];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(grouped.enqueue(event('Ev2')));
    await new Promise((resolve) => setImmediate(resolve));
    later.push(grouped.enqueue(event('Ev3')));
    const results = await Promise.all(later);
    expect(results.map((result) => result.created)).toEqual([true, true, true]);
    expect(grouped.stats).toEqual({ items: 4, statements: 2 });
  });

  test('a repeat in the same group or of a stored item is not created again, and says which item it is', async () => {
    const grouped = new GroupedEnqueue(store.workQueue);
    const [before] = await Promise.all([grouped.enqueue(event('Ev1'))]);
    const results: EnqueueResult[] = await Promise.all([
      grouped.enqueue(event('Ev2')),
      grouped.enqueue(event('Ev1', { owner: 'w1', until: new Date(Date.now() + 30_000) })),
      grouped.enqueue(event('Ev2')),
    ]);
    expect(results.map((result) => result.created)).toEqual([true, false, false]);
    expect(results[1]).toEqual({ id: before.id, created: false });
    expect(results[2].id).toBe(results[0].id);
    expect(await store.workQueue.countUnfinished(['slack.event'])).toBe(2);
  });

  test('when the statement fails, every ack in the group hears it (and none is told it was stored)', async () => {
    const failing = new WorkQueueRepository(store.db);
    jest.spyOn(failing, 'enqueueMany').mockRejectedValue(new Error('disk I/O error'));
    const grouped = new GroupedEnqueue(failing);
    const outcomes = await Promise.allSettled([grouped.enqueue(event('Ev1')), grouped.enqueue(event('Ev2'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    // The next group is written as usual.
    jest.restoreAllMocks();
    await expect(grouped.enqueue(event('Ev3'))).resolves.toMatchObject({ created: true });
  });
});
