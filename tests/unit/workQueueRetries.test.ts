import { PassThrough } from 'node:stream';
import { createLogger } from '../../logging/logger';
import { PermanentWorkError, RetryWorkError, WorkQueueWorker } from '../../server/jobs/workQueueWorker';
import { Store } from '../../store';
import type { WorkItem } from '../../store/workQueue';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

/** What the work queue gives handlers that decide their own retries (webhooks), and operators of failed work. */
const quietLogger = () => createLogger({ level: 'error', format: 'json', secrets: [], stream: new PassThrough() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(databaseKinds)('work queue retries and failed work on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;
  let worker: WorkQueueWorker | undefined;

  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
  });
  afterEach(async () => {
    await worker?.stop(2_000);
    worker = undefined;
    await store.close();
    await database.drop();
  });

  test('a RetryWorkError sets the wait before the next attempt (woken on time, before the next poll)', async () => {
    const attempts: number[] = [];
    worker = new WorkQueueWorker({ queue: store.workQueue, logger: quietLogger(), pollIntervalMs: 5_000 });
    worker.register(
      'test',
      async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new RetryWorkError('the other side asked for 300 ms', 300);
      },
      { retryBaseMs: 60_000 },
    );
    await store.workQueue.enqueue({ kind: 'test', payload: null });
    worker.start();
    for (let waited = 0; attempts.length < 3 && waited < 4_000; waited += 20) await sleep(20);
    expect(attempts).toHaveLength(3);
    for (const [index, time] of attempts.slice(1).entries()) expect(time - attempts[index]).toBeGreaterThanOrEqual(290);
    expect(attempts[2] - attempts[0]).toBeLessThan(2_000);
  });

  test('onFailure is told once, with the error, when an item is given up on', async () => {
    const told: Array<{ item: WorkItem; error: unknown }> = [];
    worker = new WorkQueueWorker({ queue: store.workQueue, logger: quietLogger(), pollIntervalMs: 50 });
    worker.register(
      'test',
      async () => {
        throw new PermanentWorkError('refused for good');
      },
      { onFailure: async (item, error) => void told.push({ item, error }) },
    );
    const { id } = await store.workQueue.enqueue({ kind: 'test', payload: { n: 1 } });
    worker.start();
    expect(await worker.idle(3_000)).toBe(true);
    expect(told).toHaveLength(1);
    expect(told[0].item.id).toBe(id);
    expect((told[0].error as Error).message).toBe('refused for good');
  });

  test('failed items are listed, newest first, and requeued with attempts from zero and a new payload', async () => {
    const now = new Date(Date.now() + 1_000);
    const ids: number[] = [];
    for (const n of [1, 2]) {
      const { id } = await store.workQueue.enqueue({ kind: 'test', payload: { n } });
      ids.push(id);
      const [claimed] = await store.workQueue.claim({ owner: 'o', kinds: ['test'], limit: 1, now, leaseMs: 30_000 });
      await store.workQueue.fail(claimed.id, 'o', new Date(now.getTime() + n * 1000), `error ${n}`);
    }
    expect((await store.workQueue.listFailed('test')).map((item) => [item.id, item.lastError])).toEqual([
      [ids[1], 'error 2'],
      [ids[0], 'error 1'],
    ]);
    expect(await store.workQueue.listFailed('other')).toEqual([]);
    expect(await store.workQueue.requeue(ids[0], now, { n: 1, again: true })).toBe(true);
    expect(await store.workQueue.requeue(ids[0], now)).toBe(false);
    const requeued = await store.workQueue.get(ids[0]);
    expect(requeued).toMatchObject({
      status: 'pending',
      attempts: 0,
      payload: { n: 1, again: true },
      finishedAt: null,
      lastError: 'error 1',
    });
    const [claimedAgain] = await store.workQueue.claim({ owner: 'o', kinds: ['test'], limit: 5, now, leaseMs: 30_000 });
    expect(claimedAgain.id).toBe(ids[0]);
  });

  test('pruning keeps failed items longer than done ones', async () => {
    const long = new Date('2026-01-01T00:00:00Z');
    for (const outcome of ['done', 'failed'] as const) {
      await store.workQueue.enqueue({ kind: 'test', payload: outcome });
      const [claimed] = await store.workQueue.claim({
        owner: 'o',
        kinds: ['test'],
        limit: 1,
        now: new Date(Date.now() + 1_000),
        leaseMs: 30_000,
      });
      if (outcome === 'done') await store.workQueue.complete(claimed.id, 'o', long);
      else await store.workQueue.fail(claimed.id, 'o', long, 'gone');
    }
    expect(await store.workQueue.prune(new Date('2026-01-03T00:00:00Z'), new Date('2025-12-01T00:00:00Z'))).toBe(1);
    expect((await store.workQueue.listFailed('test')).map((item) => item.payload)).toEqual(['failed']);
    expect(await store.workQueue.prune(new Date('2026-01-03T00:00:00Z'))).toBe(1);
  });
});
