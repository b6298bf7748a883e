import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { loadSettings } from '../../config';
import { createLogger } from '../../logging/logger';
import type { BootCheckBudget } from '../../server/bootCheck';
import { BootError, startDispatch } from '../../server/startDispatch';
import { sqliteMemory } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { freePort } from '../support/processes';
import { APP_ID, BOT_TOKEN, testEnv } from '../support/testApp';

/** Short enough for the main suite; the full ~20 s budget is exercised in tests/faults/bootCheckBudget.test.ts. */
const QUICK: BootCheckBudget = { retries: 2, minTimeoutMs: 50, factor: 1, maxRetryTimeMs: 2_000, attemptTimeoutMs: 300 };

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { lines, logger: createLogger({ level: 'debug', format: 'json', secrets: [BOT_TOKEN], stream }) };
}

async function bootFailure(
  apiUrl: string,
  fake: FakeSlack,
  budget = QUICK,
): Promise<{ error: BootError; lines: Record<string, unknown>[] }> {
  const settings = loadSettings({ ...testEnv(fake, sqliteMemory()), SLACK_API_URL: apiUrl });
  const { lines, logger } = capture();
  try {
    const running = await startDispatch({ settings, logger, bootCheckBudget: budget });
    await running.stop();
  } catch (error) {
    if (error instanceof BootError) return { error, lines };
    throw error;
  }
  throw new Error('expected the boot check to fail');
}

describe('the boot check (auth.test before listening)', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
  });
  afterAll(() => fake.stop());

  test('says in one line which Slack API it checks the token against, then starts', async () => {
    const settings = loadSettings(testEnv(fake, sqliteMemory()));
    const { lines, logger } = capture();
    const running = await startDispatch({ settings, logger, bootCheckBudget: QUICK });
    await running.stop();
    const checking = lines.filter((line) => String(line.message).startsWith('checking the bot token'));
    expect(checking).toHaveLength(1);
    expect(checking[0].message).toBe(`checking the bot token against Slack's Web API at ${fake.apiUrl}auth.test`);
  });

  test('Slack unreachable (connection refused): names the URL and the error, not the token', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/api/`;
    const { error, lines } = await bootFailure(url, fake);
    expect(error.message).toContain(`Slack's Web API is unreachable at ${url}auth.test`);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/tried 3 times/);
    expect(error.message).not.toMatch(/did not accept the bot token|refused the bot token/);
    // One line per failed attempt, each with its reason, instead of bare "fetch failed" warnings.
    const retries = lines.filter((line) => line.message === 'Slack did not answer the boot check; trying again');
    expect(retries).toHaveLength(2);
    expect(String(retries[0].reason)).toMatch(/ECONNREFUSED/);
    expect(lines.some((line) => String(line.message).includes('http request failed'))).toBe(false);
  });

  test('Slack unreachable (no answer in time): says it timed out', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', () => listening()));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = Date.now();
      const { error } = await bootFailure(`http://127.0.0.1:${port}/api/`, fake);
      expect(error.message).toMatch(/unreachable at .*: no answer in time \(timeout\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((closed) => silent.close(() => closed()));
    }
  });

  test.each(['invalid_auth', 'not_authed', 'account_inactive'])('token refused (%s): names SLACK_API_BOT_TOKEN', async (code) => {
    fake.failNext('auth.test', code);
    const { error } = await bootFailure(fake.apiUrl, fake);
    expect(error.message).toContain(`Slack refused the bot token (${code}) at ${fake.apiUrl}auth.test`);
    expect(error.message).toContain('Check SLACK_API_BOT_TOKEN');
    expect(error.message).not.toContain(BOT_TOKEN);
  });

  test('anything else (an HTTP 503 that persists): says what Slack answered', async () => {
    fake.httpErrorNext('auth.test', 503, 3);
    const { error } = await bootFailure(fake.apiUrl, fake);
    expect(error.message).toContain(`checking the bot token at ${fake.apiUrl}auth.test, Slack answered HTTP 503`);
    expect(error.message).not.toMatch(/unreachable|refused the bot token/);
  });

  test('a network that comes back within the budget is waited for', async () => {
    fake.httpErrorNext('auth.test', 503, 1);
    const settings = loadSettings(testEnv(fake, sqliteMemory()));
    const running = await startDispatch({ settings, logger: capture().logger, bootCheckBudget: QUICK });
    expect(running.deps.botUserId).toBeTruthy();
    await running.stop();
  });
});
