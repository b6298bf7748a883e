import { ManualClock } from '../support/clock';
import { blockText, COMMANDER, reportIncident } from '../support/incidentFlow';
import { TestApp } from '../support/testApp';

const SLOW_SLACK_MS = 800;

/** Parsed log lines of the app, in order. */
const messages = (app: TestApp) => app.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('stopping the app (what SIGTERM does)', () => {
  test('waits for work still running after the ack, then closes the port and the store', async () => {
    const app = await TestApp.start();
    try {
      const { port } = app.running;
      // Work after the ack: the report command acks, then opens its form on a slow Slack.
      app.fake.setLatency(SLOW_SLACK_MS, 'views.open');
      const answer = await app.command('/dispatch-report-incident', { text: 'Checkout is failing' });
      expect(answer.status).toBe(200);
      expect(answer.elapsedMs).toBeLessThan(SLOW_SLACK_MS);
      await app.fake.waitForCall('views.open');

      const stopping = Date.now();
      await app.running.stop();
      const took = Date.now() - stopping;

      // It waited for Slack to answer views.open before it stopped...
      expect(took).toBeGreaterThanOrEqual(SLOW_SLACK_MS / 2);
      const log = messages(app);
      const handled = log.findIndex((line) => line.message === 'slack request handled' && line.command === '/dispatch-report-incident');
      const stopped = log.findIndex((line) => line.message === 'dispatch for slack stopped');
      expect(handled).toBeGreaterThanOrEqual(0);
      expect(stopped).toBeGreaterThan(handled);
      expect(log.filter((line) => line.level === 'error' || line.message === 'stopped with work still in flight')).toEqual([]);

      // ...and then takes no more requests and has closed its store.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      expect(await app.deps.store.ping()).toBe(false);
      // Stopping twice is harmless (SIGTERM then SIGINT).
      await expect(app.running.stop()).resolves.toBeUndefined();
    } finally {
      await app.stop();
    }
  });

  test('once a stop begins /readyz answers 503 (draining) while /healthz stays 200, until the port closes', async () => {
    const clock = new ManualClock();
    const app = await TestApp.start({ clock });
    try {
      const { port } = app.running;
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get('/readyz')).status).toBe(200);
      // Something the stop must wait for: a status report reminder going out over a slow Slack.
      await reportIncident(app, { answers: { commander: COMMANDER, priority: 'High' } });
      await app.settle();
      clock.advance(2 * 3_600_000);
      app.fake.setLatency(SLOW_SLACK_MS * 3, 'chat.postMessage');
      const scan = app.running.reminders.runOnce();
      await app.fake.waitForCall('chat.postMessage', (call) => blockText(call.args).includes('needs a status report'));

      const stopping = app.running.stop();
      // Through the real server, while the stop waits for the reminder.
      const ready = await get('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'not ready',
        checks: { database: 'ok', slack_identity: 'ok', draining: 'the app is shutting down' },
      });
      const live = await get('/healthz');
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });

      await stopping;
      expect((await scan).sent).toBe(1);
      await expect(get('/healthz')).rejects.toThrow();
      await expect(get('/readyz')).rejects.toThrow();
    } finally {
      await app.stop();
    }
  });

  test('with nothing in flight it stops at once', async () => {
    const app = await TestApp.start();
    const stopping = Date.now();
    await app.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    expect(await app.deps.store.ping()).toBe(false);
  });
});
