import { PassThrough } from 'node:stream';
import type { EnvelopedEvent, SlashCommand } from '@slack/bolt';
import { loadSettings, type Settings } from '../../config';
import type { Clock } from '../../incidents/clock';
import { createLogger } from '../../logging/logger';
import { type RunningDispatch, startDispatch } from '../../server/startDispatch';
import { sqliteMemory, type TestDatabase } from './database';
import { FakeSlack } from './fakeSlack';
import { envelope, slashCommand } from './payloads';
import { signedHeaders } from './signing';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_ID = 'A0APPTEST1';

export interface HttpAnswer {
  status: number;
  text: string;
  json(): Record<string, unknown>;
  /** Milliseconds from sending to the answer. */
  elapsedMs: number;
  /** The answer's content-type header, when it had one. */
  contentType: string | null;
}

export interface TestAppOptions {
  fake?: FakeSlack;
  database?: TestDatabase;
  env?: Record<string, string>;
  clock?: Clock;
  /** How old an unfinished incident setup must be before this instance resumes it (default 60 s). */
  setupRecoveryGraceMs?: number;
}

/** The settings the whole app runs with in tests, pointed at the fake Slack. */
export function testEnv(fake: FakeSlack, database: TestDatabase, env: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_APP_USER_SLUG: APP_ID,
    SLACK_WORKSPACE_NAME: 'acme',
    SLACK_API_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...env,
  };
}

/**
 * The whole app on an ephemeral port, against a fake Slack and a fresh database, with helpers
 * that send requests signed exactly as Slack signs them.
 */
export class TestApp {
  private constructor(
    readonly fake: FakeSlack,
    readonly running: RunningDispatch,
    readonly settings: Settings,
    readonly database: TestDatabase,
    private readonly ownsFake: boolean,
    readonly logs: string[],
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const fake = options.fake ?? (await FakeSlack.start({ appId: APP_ID }));
    const database = options.database ?? sqliteMemory();
    const settings = loadSettings(testEnv(fake, database, options.env));
    const logs: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const logger = createLogger({
      level: 'debug',
      format: 'json',
      secrets: [settings.slack.botToken, settings.slack.signingSecret],
      stream,
    });
    const running = await startDispatch({ settings, logger, clock: options.clock, setupRecoveryGraceMs: options.setupRecoveryGraceMs });
    return new TestApp(fake, running, settings, database, !options.fake, logs);
  }

  get url(): string {
    return `http://127.0.0.1:${this.running.port}`;
  }

  get deps() {
    return this.running.deps;
  }

  /** POSTs a raw body, signed unless told otherwise. */
  async post(
    path: string,
    body: string,
    options: { contentType?: string; headers?: Record<string, string>; timestamp?: number; unsigned?: boolean } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(options.unsigned ? {} : signedHeaders(SIGNING_SECRET, body, options.timestamp)),
      ...options.headers,
    };
    const started = Date.now();
    const response = await fetch(`${this.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    return {
      status: response.status,
      text,
      json: () => JSON.parse(text) as Record<string, unknown>,
      elapsedMs: Date.now() - started,
      contentType: response.headers.get('content-type'),
    };
  }

  /** Runs a slash command as `user` in `channel` with a fresh trigger_id and response_url. */
  command(command: string, options: Partial<SlashCommand> = {}): Promise<HttpAnswer> {
    const payload = slashCommand({
      command,
      trigger_id: this.fake.issueTriggerId(),
      response_url: this.fake.responseUrl(),
      ...options,
    });
    const form = new URLSearchParams(Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return this.post('/api/v1/events/slack/command', form.toString());
  }

  /** Delivers an Events API event (optionally as Slack's n-th retry of it). */
  event<E>(event: E | EnvelopedEvent<E>, options: { retryNum?: number; eventId?: string } = {}): Promise<HttpAnswer> {
    const body = isEnveloped(event) ? event : envelope(event, options.eventId ? { event_id: options.eventId } : {});
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return this.post('/api/v1/events/slack/event', JSON.stringify(body), { contentType: 'application/json', headers });
  }

  /** Sends an interaction payload (block_actions, view_submission, shortcuts) as Slack's form. */
  interact(payload: object, path = '/api/v1/events/slack/action'): Promise<HttpAnswer> {
    return this.post(path, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  /** Waits until work started by earlier requests is done. */
  async settle(timeoutMs = 10_000): Promise<void> {
    const idle = await this.running.idle(timeoutMs);
    if (!idle) throw new Error('the app was still working after the timeout');
  }

  async stop(): Promise<void> {
    await this.running.stop();
    if (this.ownsFake) await this.fake.stop();
    await this.database.drop();
  }
}

function isEnveloped<E>(value: E | EnvelopedEvent<E>): value is EnvelopedEvent<E> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'event_callback';
}
