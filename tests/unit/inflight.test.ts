import { InFlightWork } from '../../server/inflight';

/** A piece of work the test finishes by hand. */
function manualWork() {
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

describe('InFlightWork (what shutdown waits for)', () => {
  test('idle() resolves at once when nothing runs', async () => {
    const inflight = new InFlightWork();
    expect(inflight.count).toBe(0);
    await expect(inflight.idle(10)).resolves.toBe(true);
  });

  test('counts running work and passes its result through', async () => {
    const inflight = new InFlightWork();
    const work = manualWork();
    const tracked = inflight.track(async () => {
      await work.promise;
      return 42;
    });
    expect(inflight.count).toBe(1);
    work.finish();
    await expect(tracked).resolves.toBe(42);
    expect(inflight.count).toBe(0);
  });

  test('idle() waits until the last piece of work is done, for every waiter', async () => {
    const inflight = new InFlightWork();
    const first = manualWork();
    const second = manualWork();
    void inflight.track(() => first.promise);
    void inflight.track(() => second.promise);
    let idleSeen = 0;
    const waiters = [inflight.idle(5_000), inflight.idle(5_000)].map((waiter) =>
      waiter.then((idle) => {
        idleSeen += 1;
        return idle;
      }),
    );
    first.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(idleSeen).toBe(0);
    expect(inflight.count).toBe(1);
    second.finish();
    await expect(Promise.all(waiters)).resolves.toEqual([true, true]);
    expect(inflight.count).toBe(0);
  });

  test('failed work counts as done, and its error reaches the caller', async () => {
    const inflight = new InFlightWork();
    const work = manualWork();
    const tracked = inflight.track(() => work.promise);
    const idle = inflight.idle(5_000);
    work.fail(new Error('slack said no'));
    await expect(tracked).rejects.toThrow('slack said no');
    await expect(idle).resolves.toBe(true);
  });

  test('idle() gives up after its timeout and says so; a later idle() still works', async () => {
    const inflight = new InFlightWork();
    const work = manualWork();
    void inflight.track(() => work.promise);
    const started = Date.now();
    await expect(inflight.idle(30)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(inflight.count).toBe(1);
    const later = inflight.idle(5_000);
    work.finish();
    await expect(later).resolves.toBe(true);
  });
});
