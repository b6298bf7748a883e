import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { FakeSlack } from '../../support/fakeSlack';
import { signedHeaders } from '../../support/signing';
import { APP_ID, BOT_TOKEN, SIGNING_SECRET } from '../../support/testApp';

const ROOT = resolve(__dirname, '../../..');
const ENTRY = join(ROOT, 'app.ts');

/** A port nothing listens on: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export interface AppProcessOptions {
  fake: FakeSlack;
  databaseUrl: string;
  port?: number;
  env?: Record<string, string>;
  /** Extra node flags (a profiler, say). */
  nodeArgs?: string[];
}

/**
 * The real entry point (app.ts) in a process of its own, so a crash is an exit the test sees and
 * kill -9 is a real one. Node runs it directly (`node --import tsx`), so the pid is the app's.
 */
export class AppProcess {
  private stdoutText = '';
  private stderrText = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedFlag = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.stdoutText += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString('utf8');
    });
    this.exited = new Promise((done) =>
      child.on('close', (code, signal) => {
        this.exitedFlag = true;
        done({ code, signal });
      }),
    );
  }

  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? ROOT,
        SLACK_APP_USER_SLUG: APP_ID,
        SLACK_WORKSPACE_NAME: 'acme',
        SLACK_API_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: options.fake.apiUrl,
        DATABASE_URL: options.databaseUrl,
        PORT: String(port),
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, port);
    await app.waitHealthy();
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return !this.exitedFlag;
  }

  stdout(): string {
    return this.stdoutText;
  }

  stderr(): string {
    return this.stderrText;
  }

  /** Parsed JSON log lines. */
  logLines(): Array<Record<string, unknown>> {
    return this.stdoutText
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async health(): Promise<number> {
    try {
      const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`the app exited while starting\n${this.stdoutText}\n${this.stderrText}`);
      if ((await this.health()) === 200) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the app did not become healthy\n${this.stdoutText}\n${this.stderrText}`);
  }

  /** POSTs a body signed as Slack signs it (or with the given headers instead). */
  async post(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(headers ?? signedHeaders(SIGNING_SECRET, body)) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, text: await response.text() };
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
