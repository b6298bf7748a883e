import { PassThrough } from 'node:stream';
import { createLogger } from '../../logging/logger';
import { PermanentWorkError, retryDelayMs, WorkQueueWorker, WorkRegistry } from '../../server/jobs/workQueueWorker';
import { Store } from '../../store';
import type { JsonValue } from '../../store/workQueue';
import { databaseKinds, postgresUrl, type TestDatabase, testDatabase } from '../support/database';

const quietLogger = () => createLogger({ level: 'error', format: 'json', secrets: [], stream: new PassThrough() });
const secondsFrom = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retry delays', () => {
  test('double per attempt, stay between half and all of the ceiling, and are capped', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelayMs(4, 1000, 60_000, () => 0)).toBe(4000);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    const jittered = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, 1000, 60_000)));
    expect(jittered.size).toBeGreaterThan(1);
  });
});

describe.each(databaseKinds)('the work queue on %s', (kind) => {
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

  const claim = (owner: string, now = new Date(), limit = 10, kinds = ['test']) =>
    store.workQueue.claim({ owner, kinds, limit, now, leaseMs: 30_000 });

  test('an item with a dedupe key is enqueued once; its payload comes back as it went in', async () => {
    const payload: JsonValue = { event: { type: 'reaction_added', nested: [1, 'two', null, true] } };
    const first = await store.workQueue.enqueue({ kind: 'test', dedupeKey: 'Ev001', payload });
    const again = await store.workQueue.enqueue({ kind: 'test', dedupeKey: 'Ev001', payload: { other: true } });
    const otherKind = await store.workQueue.enqueue({ kind: 'other', dedupeKey: 'Ev001', payload });
    const unkeyed = [
      await store.workQueue.enqueue({ kind: 'test', payload: 1 }),
      await store.workQueue.enqueue({ kind: 'test', payload: 2 }),
    ];
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(otherKind.created).toBe(true);
    expect(unkeyed.map((result) => result.created)).toEqual([true, true]);
    expect((await store.workQueue.find('test', 'Ev001'))?.payload).toEqual(payload);
    expect(await store.workQueue.countUnfinished(['test'])).toBe(3);
  });

  test('enqueued inside a transaction, the item commits or rolls back with the change', async () => {
    await store.transaction(async (repos) => {
      await repos.workQueue.enqueue({ kind: 'test', dedupeKey: 'kept', payload: null });
    });
    await expect(
      store.transaction(async (repos) => {
        await repos.workQueue.enqueue({ kind: 'test', dedupeKey: 'rolled-back', payload: null });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await store.workQueue.find('test', 'kept')).toBeDefined();
    expect(await store.workQueue.find('test', 'rolled-back')).toBeUndefined();
  });

  test('a claimed item is leased to one owner until its lease runs out, then another takes it over', async () => {
    const { id } = await store.workQueue.enqueue({ kind: 'test', payload: 'x' });
    const now = new Date();
    const [claimed] = await claim('replica-a', now);
    expect(claimed).toMatchObject({ id, attempts: 1, leaseOwner: 'replica-a' });
    expect(await claim('replica-b', secondsFrom(now, 10))).toEqual([]);
    // replica-a died: 31 s later its lease has run out.
    const [takenOver] = await claim('replica-b', secondsFrom(now, 31));
    expect(takenOver).toMatchObject({ id, attempts: 2, leaseOwner: 'replica-b' });
    // The dead owner's late answer does not overwrite the new owner's state.
    expect(await store.workQueue.complete(id, 'replica-a', new Date())).toBe(false);
    expect(await store.workQueue.complete(id, 'replica-b', new Date())).toBe(true);
    expect((await store.workQueue.get(id))?.status).toBe('done');
    expect(await claim('replica-c', secondsFrom(now, 120))).toEqual([]);
  });

  test('only the registered kinds, only due items, and no more than the limit are claimed', async () => {
    await store.workQueue.enqueue({ kind: 'other', payload: 0 });
    await store.workQueue.enqueue({ kind: 'test', payload: 'later', runAfter: secondsFrom(new Date(), 60) });
    for (let index = 0; index < 5; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
    const now = new Date();
    const claimed = await claim('a', now, 3);
    expect(claimed.map((item) => item.payload)).toEqual([0, 1, 2]);
    const rest = await claim('a', now, 10);
    expect(rest.map((item) => item.payload)).toEqual([3, 4]);
    expect(await store.workQueue.claimableCount(['test'], now)).toBe(0);
    for (const item of [...claimed, ...rest]) await store.workQueue.complete(item.id, 'a', now);
    expect((await claim('a', secondsFrom(now, 61))).map((item) => item.payload)).toEqual(['later']);
  });

  test('an item waits while an earlier item with the same ordering key is unfinished', async () => {
    const first = await store.workQueue.enqueue({ kind: 'test', orderingKey: 'incident:1', payload: 'create channel' });
    const second = await store.workQueue.enqueue({ kind: 'other', orderingKey: 'incident:1', payload: 'announce' });
    const third = await store.workQueue.enqueue({ kind: 'test', orderingKey: 'incident:1', payload: 'post summary' });
    const unrelated = await store.workQueue.enqueue({ kind: 'test', orderingKey: 'incident:2', payload: 'elsewhere' });
    const kinds = ['test', 'other'];
    const now = new Date();

    expect((await claim('a', now, 10, kinds)).map((item) => item.id)).toEqual([first.id, unrelated.id]);
    // The first one fails and backs off: the rest of its incident still waits.
    await store.workQueue.retryLater(first.id, 'a', secondsFrom(now, 5), 'Slack was down');
    expect(await claim('a', secondsFrom(now, 1), 10, kinds)).toEqual([]);
    expect(await store.workQueue.claimableCount(kinds, secondsFrom(now, 1))).toBe(0);
    const [retried] = await claim('a', secondsFrom(now, 6), 10, kinds);
    expect(retried).toMatchObject({ id: first.id, attempts: 2, lastError: 'Slack was down' });
    await store.workQueue.complete(first.id, 'a', new Date());
    expect((await claim('a', secondsFrom(now, 6), 10, kinds)).map((item) => item.id)).toEqual([second.id]);
    // Given up on counts as finished: it does not hold its incident back forever.
    await store.workQueue.fail(second.id, 'a', new Date(), 'channel_not_found');
    expect((await claim('a', secondsFrom(now, 6), 10, kinds)).map((item) => item.id)).toEqual([third.id]);
  });

  test('finished items are pruned after the retention; unfinished ones never are', async () => {
    const done = await store.workQueue.enqueue({ kind: 'test', dedupeKey: 'old', payload: null });
    await store.workQueue.enqueue({ kind: 'test', dedupeKey: 'waiting', payload: null, runAfter: secondsFrom(new Date(), 3600) });
    await claim('a');
    await store.workQueue.complete(done.id, 'a', new Date());
    expect(await store.workQueue.prune(secondsFrom(new Date(), 10))).toBe(1);
    expect(await store.workQueue.find('test', 'old')).toBeUndefined();
    expect(await store.workQueue.find('test', 'waiting')).toBeDefined();
  });

  describe('the worker', () => {
    let worker: WorkQueueWorker | undefined;
    afterEach(async () => {
      await worker?.stop(5_000);
      worker = undefined;
    });

    const startWorker = (registry: WorkRegistry, maxInFlight = 4) => {
      worker = new WorkQueueWorker({ queue: store.workQueue, registry, logger: quietLogger(), maxInFlight, pollIntervalMs: 50 });
      worker.start();
      return worker;
    };

    test('runs each item once and marks it done', async () => {
      const seen: JsonValue[] = [];
      const running = startWorker(
        new WorkRegistry().register('test', async (payload) => {
          seen.push(payload);
        }),
      );
      for (let index = 0; index < 20; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
      running.wake();
      expect(await running.idle(10_000)).toBe(true);
      expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, index) => index));
      expect(await store.workQueue.countUnfinished()).toBe(0);
    });

    test('retries a failing item with backoff until it succeeds, keeping the last error', async () => {
      let calls = 0;
      const running = startWorker(
        new WorkRegistry().register(
          'test',
          async () => {
            calls += 1;
            if (calls < 3) throw new Error(`Slack answered 503 (call ${calls})`);
          },
          { retryBaseMs: 20, retryMaxMs: 40 },
        ),
      );
      const { id } = await store.workQueue.enqueue({ kind: 'test', payload: null });
      running.wake();
      await waitFor(async () => (await store.workQueue.get(id))?.status === 'done');
      const item = await store.workQueue.get(id);
      expect(item).toMatchObject({ status: 'done', attempts: 3, lastError: 'Error: Slack answered 503 (call 2)' });
    });

    test('gives up after the last attempt, and at once on a permanent error', async () => {
      const running = startWorker(
        new WorkRegistry()
          .register(
            'test',
            async () => {
              throw new Error('still down');
            },
            { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 20 },
          )
          .register('other', async () => {
            throw new PermanentWorkError('this payload can never work');
          }),
      );
      const flaky = await store.workQueue.enqueue({ kind: 'test', payload: null });
      const hopeless = await store.workQueue.enqueue({ kind: 'other', payload: null });
      running.wake();
      await waitFor(async () => (await store.workQueue.get(flaky.id))?.status === 'failed');
      expect(await store.workQueue.get(flaky.id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: still down' });
      expect(await store.workQueue.get(hopeless.id)).toMatchObject({ status: 'failed', attempts: 1 });
    });

    test('never runs more than maxInFlight at once; the rest waits in the database', async () => {
      let concurrent = 0;
      let highest = 0;
      const running = startWorker(
        new WorkRegistry().register('test', async () => {
          concurrent += 1;
          highest = Math.max(highest, concurrent);
          await sleep(15);
          concurrent -= 1;
        }),
        3,
      );
      await store.transaction(async (repos) => {
        for (let index = 0; index < 30; index += 1) await repos.workQueue.enqueue({ kind: 'test', payload: index });
      });
      running.wake();
      await sleep(30);
      expect(running.inFlight).toBeLessThanOrEqual(3);
      expect(await store.workQueue.countUnfinished()).toBeGreaterThan(3);
      expect(await running.idle(10_000)).toBe(true);
      expect(highest).toBe(3);
      expect(await store.workQueue.countUnfinished()).toBe(0);
    });

    test('while the process is busy answering requests, runs one item at a time, a few a second', async () => {
      let busy = true;
      let concurrent = 0;
      let highest = 0;
      const done: number[] = [];
      worker = new WorkQueueWorker({
        queue: store.workQueue,
        registry: new WorkRegistry().register('test', async (payload) => {
          concurrent += 1;
          highest = Math.max(highest, concurrent);
          await sleep(5);
          concurrent -= 1;
          done.push(Number(payload));
        }),
        logger: quietLogger(),
        maxInFlight: 8,
        pollIntervalMs: 50,
        busy: () => busy,
      });
      worker.start();
      for (let index = 0; index < 20; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
      worker.wake();
      await sleep(400);
      // Still moving, but slowly and never more than one at once.
      expect(done.length).toBeGreaterThan(0);
      expect(done.length).toBeLessThan(10);
      expect(highest).toBe(1);
      busy = false;
      worker.wake();
      expect(await worker.idle(10_000)).toBe(true);
      expect(done).toHaveLength(20);
      expect(highest).toBeGreaterThan(1);
    });

    test("an item's room is free once its handler is done, before its completion is written", async () => {
      const completeMany = store.workQueue.completeMany.bind(store.workQueue);
      // A slow completion write (a busy database): the next item need not wait for it.
      jest.spyOn(store.workQueue, 'completeMany').mockImplementation(async (...args) => {
        await sleep(300);
        return completeMany(...args);
      });
      const started: number[] = [];
      const running = startWorker(
        new WorkRegistry().register('test', async () => {
          started.push(Date.now());
        }),
        1,
      );
      for (let index = 0; index < 3; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
      const from = Date.now();
      running.wake();
      await waitFor(async () => started.length === 3);
      // One room: one after another, each without waiting 300 ms for the one before to be recorded.
      expect(Date.now() - from).toBeLessThan(300);
      expect(await running.idle(10_000)).toBe(true);
      expect(await store.workQueue.countUnfinished()).toBe(0);
    });

    test('while requests keep arriving, runs an eighth of maxInFlight at once; the whole bound once they stop', async () => {
      let arriving = true;
      let concurrent = 0;
      let highest = 0;
      const gates: Array<() => void> = [];
      worker = new WorkQueueWorker({
        queue: store.workQueue,
        registry: new WorkRegistry().register('test', async () => {
          concurrent += 1;
          highest = Math.max(highest, concurrent);
          await new Promise<void>((resolve) => gates.push(resolve));
          concurrent -= 1;
        }),
        logger: quietLogger(),
        maxInFlight: 16,
        pollIntervalMs: 50,
        requestsArriving: () => arriving,
      });
      worker.start();
      for (let index = 0; index < 40; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
      worker.wake();
      await waitFor(async () => gates.length === 2);
      await sleep(150);
      expect(highest).toBe(2);
      expect(worker.reserve('test')).toBeUndefined();
      arriving = false;
      for (const open of gates.splice(0)) open();
      const running = worker;
      await waitFor(async () => running.inFlight === 16);
      expect(highest).toBe(16);
      while ((await store.workQueue.countUnfinished()) > 0) {
        for (const open of gates.splice(0)) open();
        await sleep(5);
      }
      expect(await worker.idle(5_000)).toBe(true);
    });

    test('work that starts later than maxLagMs past its due time runs on the whole bound, busy or not', async () => {
      // Requests never stop and the process is always busy: without maxLagMs, a few at a time.
      const runFor400ms = async (workKind: string, maxLagMs: number | undefined, lateByMs: number) => {
        let concurrent = 0;
        let highest = 0;
        let done = 0;
        const running = new WorkQueueWorker({
          queue: store.workQueue,
          registry: new WorkRegistry().register(workKind, async () => {
            concurrent += 1;
            highest = Math.max(highest, concurrent);
            await sleep(20);
            concurrent -= 1;
            done += 1;
          }),
          logger: quietLogger(),
          maxInFlight: 16,
          pollIntervalMs: 20,
          busy: () => true,
          requestsArriving: () => true,
          maxLagMs,
          // Every item it claims looks this late.
          now: () => new Date(Date.now() + lateByMs),
        });
        for (let index = 0; index < 64; index += 1) await store.workQueue.enqueue({ kind: workKind, payload: index });
        running.start();
        running.wake();
        await sleep(400);
        await running.stop();
        return { highest, done };
      };
      const givingWay = await runFor400ms('never-late', undefined, 2_000);
      const onTime = await runFor400ms('on-time', 500, 0);
      const late = await runFor400ms('late', 500, 2_000);
      expect(givingWay.highest).toBeLessThanOrEqual(2);
      expect(onTime.highest).toBeLessThanOrEqual(2);
      expect(late.highest).toBe(16);
      expect(late.done).toBe(64);
      expect(givingWay.done).toBeLessThan(32);
    });

    test('an item stored leased through reserve() runs at once without a claim; the room is within maxInFlight', async () => {
      const seen: JsonValue[] = [];
      worker = new WorkQueueWorker({
        queue: store.workQueue,
        registry: new WorkRegistry().register('test', async (payload) => {
          seen.push(payload);
        }),
        logger: quietLogger(),
        maxInFlight: 2,
        // No poll during the test: only the hand-over can start the item.
        pollIntervalMs: 60_000,
      });
      worker.start();
      await worker.idle(1_000);
      const claims = jest.spyOn(store.workQueue, 'claim');
      const first = worker.reserve('test');
      const second = worker.reserve('test');
      expect(first && second).toBeTruthy();
      // Full: a third item would wait in the database; an unknown kind is never reserved.
      expect(worker.reserve('test')).toBeUndefined();
      second?.cancel();
      expect(worker.reserve('nobody.handles.this')).toBeUndefined();
      const stored = await store.workQueue.enqueue({ kind: 'test', dedupeKey: 'Ev1', payload: 'handed over', leaseTo: first?.lease });
      expect(stored.leased).toMatchObject({ attempts: 1, leaseOwner: worker.owner });
      if (stored.leased) first?.adopt(stored.leased);
      await waitFor(async () => (await store.workQueue.get(stored.id))?.status === 'done');
      expect(seen).toEqual(['handed over']);
      expect(claims).not.toHaveBeenCalled();
    });

    test('behind a backlog, one claim leases several items, and new work queues behind the old', async () => {
      const gates: Array<() => void> = [];
      const order: JsonValue[] = [];
      worker = new WorkQueueWorker({
        queue: store.workQueue,
        registry: new WorkRegistry().register('test', async (payload) => {
          order.push(payload);
          await new Promise<void>((resolve) => gates.push(resolve));
        }),
        logger: quietLogger(),
        maxInFlight: 4,
        pollIntervalMs: 60_000,
      });
      const claims = jest.spyOn(store.workQueue, 'claim');
      for (let index = 0; index < 12; index += 1) await store.workQueue.enqueue({ kind: 'test', payload: index });
      worker.start();
      await waitFor(async () => gates.length === 4);
      // A backlog: with room for one, a new event is still not handed over ahead of those waiting.
      gates.shift()?.();
      const running = worker;
      await waitFor(async () => running.inFlight === 3);
      expect(running.reserve('test')).toBeUndefined();
      // Items finish one at a time; claims wait for room for two.
      while (order.length < 12 || gates.length > 0) {
        gates.shift()?.();
        await sleep(5);
      }
      expect(await worker.idle(5_000)).toBe(true);
      expect(order).toEqual(Array.from({ length: 12 }, (_, index) => index));
      // 4, then 2 at a time: 1 + 4 claims that leased something (one per finished item would be 9).
      const leasing = (await Promise.all(claims.mock.results.map((result) => result.value as Promise<unknown[]>))).filter(
        (items) => items.length > 0,
      );
      expect(leasing.length).toBeLessThanOrEqual(5);
    });

    test('runs items of one ordering key in order, one at a time', async () => {
      const order: JsonValue[] = [];
      let concurrent = 0;
      let overlapped = false;
      const running = startWorker(
        new WorkRegistry().register('test', async (payload) => {
          concurrent += 1;
          if (concurrent > 1) overlapped = true;
          await sleep(5);
          order.push(payload);
          concurrent -= 1;
        }),
        8,
      );
      for (let index = 0; index < 8; index += 1) await store.workQueue.enqueue({ kind: 'test', orderingKey: 'incident:7', payload: index });
      running.wake();
      expect(await running.idle(10_000)).toBe(true);
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(overlapped).toBe(false);
    });

    test('stopping waits for the running item and claims nothing more', async () => {
      let finished = 0;
      const running = startWorker(
        new WorkRegistry().register('test', async () => {
          await sleep(150);
          finished += 1;
        }),
        1,
      );
      await store.transaction(async (repos) => {
        await repos.workQueue.enqueue({ kind: 'test', payload: 1 });
        await repos.workQueue.enqueue({ kind: 'test', payload: 2 });
      });
      running.wake();
      await waitFor(async () => running.inFlight === 1);
      expect(await running.stop(5_000)).toBe(true);
      worker = undefined;
      expect(finished).toBe(1);
      expect(await store.workQueue.countUnfinished()).toBe(1);
    });
  });
});

(postgresUrl ? describe : describe.skip)('two workers on one PostgreSQL', () => {
  let database: TestDatabase;
  let stores: Store[] = [];
  beforeEach(async () => {
    database = await testDatabase('postgres');
    stores = [await Store.open(database.url), await Store.open(database.url)];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    await database.drop();
  });

  test('claim each item exactly once between them', async () => {
    const total = 300;
    const runs = new Map<number, string[]>();
    const workers = stores.map((store, index) => {
      const owner = `replica-${index}`;
      return new WorkQueueWorker({
        queue: store.workQueue,
        owner,
        logger: quietLogger(),
        maxInFlight: 6,
        pollIntervalMs: 10,
        registry: new WorkRegistry().register('test', async (payload) => {
          const id = Number(payload);
          runs.set(id, [...(runs.get(id) ?? []), owner]);
          await sleep(Math.random() * 3);
        }),
      });
    });
    for (const worker of workers) worker.start();
    await Promise.all(
      Array.from({ length: total }, (_, index) =>
        stores[index % 2]?.workQueue.enqueue({
          kind: 'test',
          payload: index,
          orderingKey: index % 10 === 0 ? 'incident:shared' : undefined,
        }),
      ),
    );
    await waitFor(async () => (await stores[0]?.workQueue.countUnfinished()) === 0, 30_000);
    for (const worker of workers) await worker.stop();
    expect(runs.size).toBe(total);
    const duplicates = [...runs.entries()].filter(([, owners]) => owners.length !== 1);
    expect(duplicates).toEqual([]);
    const owners = new Set([...runs.values()].flat());
    expect(owners).toEqual(new Set(['replica-0', 'replica-1']));
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error('the condition did not become true in time');
}
