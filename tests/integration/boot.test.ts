import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeSlack } from '../support/fakeSlack';
import { APP_ID } from '../support/testApp';

/**
 * The real entry point as a child process: `tsx app.ts`, run from an empty temp folder so that
 * no .env of the developer's is read, with an environment holding only PATH, HOME and what each
 * test sets (none of the parent's SLACK_* variables).
 */
const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = join(ROOT, 'app.ts');

const BOT_TOKEN = 'xoxb-boot-test-9d8c7b6a5f4e';
const SIGNING_SECRET = 'boot-signing-secret-3e1f9a0b7c2d';

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startEntryPoint(cwd: string, env: Record<string, string>): Child {
  const child = spawn(TSX, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('close', (code, signal) => resolveExit({ code, signal }));
  });
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves with the exit, or rejects after `ms` (and kills the child so nothing is left behind). */
async function exitWithin(child: Child, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      child.process.kill('SIGKILL');
      reject(new Error(`the app did not exit within ${ms} ms\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nothing listens on: bind port 0, read it, release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
  const address = server.address();
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Polls GET /healthz until it answers 200 (or the child exits, or time runs out). */
async function healthy(child: Child, port: number, ms = 15_000): Promise<number> {
  const deadline = Date.now() + ms;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return response.status;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`no healthy answer on port ${port}\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
}

const stackTraceLine = /^\s+at .+/m;

describe('the entry point (tsx app.ts)', () => {
  let cwd: string;
  let fake: FakeSlack | undefined;
  let child: Child | undefined;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dispatch-boot-'));
  });

  afterEach(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    child = undefined;
    await fake?.stop();
    fake = undefined;
    rmSync(cwd, { recursive: true, force: true });
  });

  const validSettings = (slack: FakeSlack, port: number): Record<string, string> => ({
    SLACK_APP_USER_SLUG: APP_ID,
    SLACK_WORKSPACE_NAME: 'acme',
    SLACK_API_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(cwd, 'data', 'x.db')}`,
  });

  test('with no settings it exits 1 with one message naming the four required settings, without a stack trace', async () => {
    child = startEntryPoint(cwd, {});
    const { code } = await exitWithin(child, 15_000);
    const stderr = child.stderr();
    expect(code).toBe(1);
    for (const name of ['SLACK_APP_USER_SLUG', 'SLACK_WORKSPACE_NAME', 'SLACK_API_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) {
      expect(stderr).toContain(name);
    }
    expect(stderr.match(/cannot start/g)).toHaveLength(1);
    expect(stderr).not.toMatch(stackTraceLine);
    expect(child.stdout()).toBe('');
  });

  test('with SLACK_COMMAND_MARK_STABLE_SLUG=mark-stable it exits 1 naming that setting, and echoes no secret', async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    child = startEntryPoint(cwd, {
      ...validSettings(fake, await freePort()),
      SLACK_COMMAND_MARK_STABLE_SLUG: 'mark-stable',
      // An app-level token where the bot token belongs: refused, and never printed.
      SLACK_APP_TOKEN: 'xoxb-supersecret-not-an-app-token',
    });
    const { code } = await exitWithin(child, 15_000);
    const output = child.stdout() + child.stderr();
    expect(code).toBe(1);
    expect(child.stderr()).toMatch(/SLACK_COMMAND_MARK_STABLE_SLUG is not valid/);
    expect(child.stderr()).toMatch(/SLACK_APP_TOKEN is not valid/);
    expect(child.stderr()).not.toMatch(/SLACK_APP_USER_SLUG|SLACK_SIGNING_SECRET|SLACK_API_BOT_TOKEN/);
    expect(output).not.toMatch(stackTraceLine);
    for (const secret of ['supersecret', BOT_TOKEN, SIGNING_SECRET]) expect(output).not.toContain(secret);
    // It never got as far as Slack.
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });

  test('with valid settings it answers /healthz, and SIGTERM stops it with exit code 0', async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    const port = await freePort();
    child = startEntryPoint(cwd, { ...validSettings(fake, port), LOG_LEVEL: 'debug' });
    expect(await healthy(child, port)).toBe(200);
    expect(fake.callsTo('auth.test')).toHaveLength(1);

    // A signed-looking request with a wrong signature: refused, and logged without secrets.
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/events/slack/event`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=00',
      },
      body: JSON.stringify({ type: 'url_verification', challenge: 'x', token: BOT_TOKEN }),
    });
    expect(refused.status).toBe(401);

    const stopping = Date.now();
    child.process.kill('SIGTERM');
    const { code } = await exitWithin(child, 5_000);
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);

    const lines = child
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = lines.map((line) => line.message);
    expect(messages).toContain('dispatch for slack is running');
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('dispatch for slack stopped');
    // The database was created where DATABASE_URL said.
    expect(lines.find((line) => line.message === 'dispatch for slack is running')).toMatchObject({ port, database: 'sqlite' });
    const output = child.stdout() + child.stderr();
    expect(output).not.toContain(BOT_TOKEN);
    expect(output).not.toContain(SIGNING_SECRET);
    // Stopped means stopped: the port no longer answers.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  test('a .env file in its folder is read, without overriding a variable already set', async () => {
    fake = await FakeSlack.start({ appId: APP_ID, botToken: BOT_TOKEN });
    const port = await freePort();
    const portInDotEnv = await freePort();
    const settings = validSettings(fake, portInDotEnv);
    writeFileSync(
      join(cwd, '.env'),
      `${Object.entries(settings)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n')}\n`,
    );
    // Only PORT comes from the environment; the .env's PORT must not win over it.
    child = startEntryPoint(cwd, { PORT: String(port) });
    expect(await healthy(child, port)).toBe(200);
    await expect(fetch(`http://127.0.0.1:${portInDotEnv}/healthz`)).rejects.toThrow();
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    child.process.kill('SIGTERM');
    expect((await exitWithin(child, 5_000)).code).toBe(0);
  });
});
