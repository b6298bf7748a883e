import { EventLoopLag } from '../../server/eventLoopLag';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the loop busy for `ms`, yielding to timers every few milliseconds, as back-to-back acks do. */
async function busyFor(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const slice = performance.now() + 4;
    while (performance.now() < slice) {
      // spin: a request's share of the CPU
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the event loop watch', () => {
  let watch: EventLoopLag;
  afterEach(() => watch.stop());

  test('says how busy the loop was lately', async () => {
    watch = new EventLoopLag(10, 5).start();
    await sleep(80);
    expect(watch.utilization).toBeLessThan(0.5);
    await busyFor(150);
    expect(watch.utilization).toBeGreaterThan(0.9);
    await sleep(80);
    expect(watch.utilization).toBeLessThan(0.5);
  });
});
