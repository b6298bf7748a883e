import { PassThrough } from 'node:stream';
import { createLogger } from '../../logging/logger';
import type { WorkQueueWorker } from '../../server/jobs/workQueueWorker';
import { AfterAckWork, DeferredRequest, isReplayable, SLACK_REQUEST_WORK } from '../../server/receiver/afterAck';
import type { WorkQueueRepository } from '../../store/workQueue';

const quietLogger = () => createLogger({ level: 'error', format: 'json', secrets: [], stream: new PassThrough() });
const command = (n: number) => ({ command: '/dispatch-list-tasks', text: String(n) });

function limiter(limits: { maxRunning: number; maxWaiting: number }, options: { busy?: () => boolean; failEnqueue?: boolean } = {}) {
  const stored: unknown[] = [];
  const queue = {
    enqueue: async (item: unknown) => {
      if (options.failEnqueue) throw new Error('database down');
      stored.push(item);
      return { created: true };
    },
  } as unknown as WorkQueueRepository;
  const worker = { wake: () => undefined, register: () => worker } as unknown as WorkQueueWorker;
  return { work: new AfterAckWork(limits, queue, worker, quietLogger(), options.busy), stored };
}

describe('the bound on work after the ack', () => {
  test('up to maxRunning go on at once; the next wait, and go on in order as slots are given back', async () => {
    const { work } = limiter({ maxRunning: 2, maxWaiting: 10 });
    const first = await work.admit(command(1), true);
    const second = await work.admit(command(2), true);
    const order: number[] = [];
    const third = work.admit(command(3), true).then((release) => {
      order.push(3);
      return release;
    });
    const fourth = work.admit(command(4), true).then((release) => {
      order.push(4);
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(work.load).toEqual({ running: 2, waiting: 2, deferred: 0 });
    first();
    first(); // a second release gives nothing back twice
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(work.load).toEqual({ running: 0, waiting: 0, deferred: 0 });
  });

  test('past maxWaiting a command is stored in the work queue and stops with DeferredRequest', async () => {
    const { work, stored } = limiter({ maxRunning: 1, maxWaiting: 1 });
    const release = await work.admit(command(1), true);
    const waiting = work.admit(command(2), true);
    await expect(work.admit(command(3), true)).rejects.toBeInstanceOf(DeferredRequest);
    // Its ack went out empty: a run from the queue answers on the response_url.
    expect(stored).toEqual([{ kind: SLACK_REQUEST_WORK, payload: { body: command(3), answered: false } }]);
    expect(work.load.deferred).toBe(1);
    release();
    (await waiting)();
  });

  test('a form submission (not replayable) waits in memory whatever the wait; so does a request the queue could not store', async () => {
    const { work, stored } = limiter({ maxRunning: 1, maxWaiting: 0 });
    const release = await work.admit(command(1), true);
    const form = work.admit({ type: 'view_submission' }, false);
    expect(stored).toEqual([]);
    release();
    (await form)();

    const failing = limiter({ maxRunning: 1, maxWaiting: 0 }, { failEnqueue: true });
    const held = await failing.work.admit(command(1), true);
    const kept = failing.work.admit(command(2), true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.work.load.waiting).toBe(1);
    held();
    (await kept)();
  });

  test('while the event loop is late, only an eighth of maxRunning go on', async () => {
    let busy = true;
    const { work } = limiter({ maxRunning: 16, maxWaiting: 100 }, { busy: () => busy });
    const releases = [await work.admit(command(1), true), await work.admit(command(2), true)];
    const third = work.admit(command(3), true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(work.load).toMatchObject({ running: 2, waiting: 1 });
    busy = false;
    // Calm again: the waiting one goes on without anything being released first.
    (await third)();
    for (const release of releases) release();
  });

  test('commands, buttons and shortcuts can be run again from the start; form submissions cannot', () => {
    expect(isReplayable({ command: '/dispatch-list-tasks' })).toBe(true);
    expect(isReplayable({ type: 'block_actions' })).toBe(true);
    expect(isReplayable({ type: 'message_action' })).toBe(true);
    expect(isReplayable({ type: 'shortcut' })).toBe(true);
    expect(isReplayable({ type: 'view_submission' })).toBe(false);
    expect(isReplayable({ type: 'block_suggestion' })).toBe(false);
  });
});
