import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitWithin, freePort, spawnChild } from '../support/processes';
import { APP_ID } from '../support/testApp';

/**
 * The entry point offline, with the boot check's real budget: it must give up within ~20 s
 * (it used to retry for 5 minutes and then blame the token), never listen, and say why.
 */
const ROOT = resolve(__dirname, '../..');

describe('the entry point with Slack unreachable (the full boot check budget)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dispatch-boot-check-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  async function boot(apiUrl: string) {
    const port = await freePort();
    const started = Date.now();
    const child = spawnChild(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'app.ts')], folder, {
      SLACK_APP_USER_SLUG: APP_ID,
      SLACK_WORKSPACE_NAME: 'acme',
      SLACK_API_BOT_TOKEN: 'xoxb-plausible-token-0123',
      SLACK_SIGNING_SECRET: 'boot-check-signing-secret',
      SLACK_API_URL: apiUrl,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(folder, 'x.db')}`,
    });
    const exit = await exitWithin(child, 40_000);
    return { exit, child, elapsedMs: Date.now() - started };
  }

  test('connection refused: exits 1 within ~20 s, naming the URL and the error', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`;
    const { exit, child, elapsedMs } = await boot(apiUrl);
    expect(exit.code).toBe(1);
    // ~20 s of retries, plus the few seconds tsx takes to start on a busy machine.
    expect(elapsedMs).toBeLessThan(25_000);
    expect(child.stdout()).toContain(`checking the bot token against Slack's Web API at ${apiUrl}auth.test`);
    expect(child.stderr()).toContain(`unreachable at ${apiUrl}auth.test: connect ECONNREFUSED`);
    expect(child.stderr()).not.toMatch(/refused the bot token|did not accept the bot token/);
    expect(child.stderr()).not.toMatch(/^\s+at .+/m);
  }, 60_000);

  test('no answer at all (a black hole): exits 1 within ~20 s, saying it timed out', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', () => listening()));
    const address = silent.address();
    const apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/`;
    try {
      const { exit, child, elapsedMs } = await boot(apiUrl);
      expect(exit.code).toBe(1);
      expect(elapsedMs).toBeLessThan(25_000);
      expect(child.stderr()).toContain(`unreachable at ${apiUrl}auth.test: no answer in time (timeout)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((closed) => silent.close(() => closed()));
    }
  }, 60_000);
});
