/**
 * The local Slack workspace's Web API: a real HTTP server on 127.0.0.1 that records every call
 * and answers the way Slack's Web API does, including its error codes, 429s and slow answers,
 * and takes response_url posts (5 uses within 30 minutes). The sandbox serves its page beside
 * it; the tests' FakeSlack is this class.
 *
 * Point a WebClient at it with `slackApiUrl: workspace.apiUrl`, and response_url payloads at
 * `workspace.responseUrl()`. Tests then assert on `calls`, `messages`, `channels` and friends.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Args, argString, bearerToken, isRecord, type Payload, pad, parseArgs, SlackApiFailure } from './args';
import { messageBlockErrors } from './blockKit';
import { registerBookmarkMethods } from './methods/bookmarks';
import { registerChatMethods } from './methods/chat';
import { registerConversationMethods } from './methods/conversations';
import { fileUploadRoute, registerFileMethods } from './methods/files';
import { registerPinMethods } from './methods/pins';
import { registerUserMethods } from './methods/users';
import { registerViewMethods } from './methods/views';
import { type MethodTable, WorkspaceState } from './state';
import type { RecordedCall, ResponseUrlPost, WorkspaceOptions } from './types';

const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
const RESPONSE_URL_MAX_USES = 5;

type Injection = { kind: 'error'; error: string } | { kind: 'ratelimit'; retryAfter: number } | { kind: 'http'; status: number };

interface Outcome {
  status: number;
  headers: Record<string, string>;
  body: Payload;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Where a response_url answer lands: the channel and person of the command or action. */
export interface ResponseUrlContext {
  channel: string;
  user: string;
  /** The message the action was on (replace_original / delete_original act on it). */
  messageTs?: string;
  /** The action was on an ephemeral message. */
  ephemeral?: boolean;
}

/** Extra HTTP routes served beside the Web API (the sandbox page). Return false to pass. */
export type ExtraRoute = (req: IncomingMessage, url: URL, rawBody: string, res: ServerResponse) => boolean | Promise<boolean>;

export class SlackWorkspace extends WorkspaceState {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];

  private readonly botToken: string;
  private readonly handlers: MethodTable;
  private readonly responseUrls = new Map<string, { issuedAt: number; uses: number; context?: ResponseUrlContext }>();
  private readonly injections = new Map<string, Injection[]>();
  private readonly latency = new Map<string, number>(); // '' holds the all-methods latency
  private readonly pendingAnswers = new Set<NodeJS.Timeout>();
  private readonly callWaiters = new Set<Waiter<RecordedCall>>();
  private readonly postWaiters = new Set<Waiter<ResponseUrlPost>>();
  private readonly extraRoutes: ExtraRoute[] = [];

  protected constructor(
    private readonly server: Server,
    port: number,
    private readonly options: WorkspaceOptions,
  ) {
    super(options);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.handlers = new Map();
    registerUserMethods(this.handlers, this);
    registerConversationMethods(this.handlers, this);
    registerChatMethods(this.handlers, this);
    registerViewMethods(this.handlers, this);
    registerPinMethods(this.handlers, this);
    registerBookmarkMethods(this.handlers, this);
    registerFileMethods(this.handlers, this, () => this.baseUrl);
    this.addRoute(fileUploadRoute(this));
  }

  /** Starts a workspace on 127.0.0.1 (options.port, or a free port). */
  static async start(options: WorkspaceOptions = {}): Promise<SlackWorkspace> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const workspace = new SlackWorkspace(server, port, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => workspace.onRequest(req, res));
    return workspace;
  }

  /** Serves more routes beside the Web API (tried in order, before a 404). */
  addRoute(route: ExtraRoute): void {
    this.extraRoutes.push(route);
  }

  async stop(): Promise<void> {
    // Timers for delayed answers would otherwise keep the process (and jest) alive.
    for (const timer of this.pendingAnswers) clearTimeout(timer);
    this.pendingAnswers.clear();
    for (const waiter of [...this.callWaiters, ...this.postWaiters]) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeSlack stopped while a test was still waiting for a call'));
    }
    this.callWaiters.clear();
    this.postWaiters.clear();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // WebClient's fetch keeps sockets alive; close them or server.close never calls back.
      this.server.closeAllConnections();
    });
  }

  /** Back to the state right after start(): only the bot user, nothing recorded or injected. */
  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.responseUrls.clear();
    this.injections.clear();
    this.latency.clear();
    this.clearState();
  }

  // ----- inspection ------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  waitForCall(method: string, predicate: (c: RecordedCall) => boolean = () => true, timeoutMs = 3000): Promise<RecordedCall> {
    const matches = (c: RecordedCall): boolean => c.method === method && predicate(c);
    const found = this.calls.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter<RecordedCall> = {
        predicate: matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.callWaiters.delete(waiter);
          reject(new Error(this.describeMissingCall(method, timeoutMs)));
        }, timeoutMs),
      };
      this.callWaiters.add(waiter);
    });
  }

  waitForResponseUrlPost(predicate: (p: ResponseUrlPost) => boolean = () => true, timeoutMs = 3000): Promise<ResponseUrlPost> {
    const found = this.responseUrlPosts.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<ResponseUrlPost>((resolve, reject) => {
      const waiter: Waiter<ResponseUrlPost> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.postWaiters.delete(waiter);
          const seen = this.responseUrlPosts.map((p) => `${p.path} ${JSON.stringify(p.body).slice(0, 200)}`);
          reject(
            new Error(
              `FakeSlack: no matching response_url post within ${timeoutMs} ms. ` +
                `Posts seen (${seen.length}): ${seen.join('; ') || 'none'}. ` +
                `Web API methods seen: ${this.methodsSeen()}`,
            ),
          );
        }, timeoutMs),
      };
      this.postWaiters.add(waiter);
    });
  }

  /** Web API calls Slack refused for their Block Kit, newest last, with Slack's pointers. */
  refusedBlocks(): Array<{ method: string; at: number; error: string; messages: string[] }> {
    return this.calls
      .filter(
        (c) => c.response.ok === false && ['invalid_blocks', 'invalid_arguments', 'invalid_attachments'].includes(String(c.response.error)),
      )
      .map((c) => {
        const metadata = isRecord(c.response.response_metadata) ? c.response.response_metadata : {};
        const messages = Array.isArray(metadata.messages) ? metadata.messages.map(String) : [];
        return { method: c.method, at: c.at, error: String(c.response.error), messages };
      });
  }

  // ----- setup ----------------------------------------------------------------------------

  /**
   * A response_url as Slack puts in a command or interaction payload. With a context, answers
   * posted to it appear in that channel (ephemeral to that person, in_channel for everyone,
   * replacing or deleting the original message); without one they are only recorded.
   */
  responseUrl(id?: string, context?: ResponseUrlContext): string {
    const path = `/response/${id ?? `R${pad(this.nextId(), 8)}`}`;
    this.responseUrls.set(path, { issuedAt: this.now(), uses: 0, ...(context ? { context } : {}) });
    return `${this.baseUrl}${path}`;
  }

  // ----- fault injection ---------------------------------------------------------------------

  failNext(method: string, error: string, times = 1): void {
    this.inject(method, { kind: 'error', error }, times);
  }

  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.inject(method, { kind: 'ratelimit', retryAfter: retryAfterSeconds }, times);
  }

  httpErrorNext(method: string, status: number, times = 1): void {
    this.inject(method, { kind: 'http', status }, times);
  }

  /** Forgets the failures still queued by the methods above: for `method`, or for all. */
  clearInjected(method?: string): void {
    if (method) this.injections.delete(method);
    else this.injections.clear();
  }

  /** Delays answers by ms: every method, or only `method`. 0 clears that setting. */
  setLatency(ms: number, method?: string): void {
    const key = method ?? '';
    if (ms > 0) this.latency.set(key, ms);
    else this.latency.delete(key);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP plumbing
  // ---------------------------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.route(req, Buffer.concat(chunks).toString('utf8'), res).catch((error: unknown) => {
        // A bug in the workspace must be loud, not look like a Slack answer.
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.send(res, { status: 500, headers: {}, body: { ok: false, error: 'fake_slack_internal_error', detail } });
      });
    });
  }

  private async route(req: IncomingMessage, rawBody: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/api/')) {
      this.handleApiCall(decodeURIComponent(url.pathname.slice('/api/'.length)), req.headers, rawBody, url.searchParams, res);
      return;
    }
    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      this.handleResponseUrl(url.pathname, rawBody, res);
      return;
    }
    for (const extra of this.extraRoutes) {
      if (await extra(req, url, rawBody, res)) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private handleApiCall(method: string, headers: IncomingHttpHeaders, rawBody: string, query: URLSearchParams, res: ServerResponse): void {
    const at = this.now();
    let args: Args = {};
    let outcome: Outcome;
    try {
      args = parseArgs(headers['content-type'], rawBody, query);
      const bodyToken = argString(args, 'token');
      delete args.token; // a credential, not an argument
      outcome = this.answer(method, args, bearerToken(headers.authorization) ?? bodyToken);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      outcome = { status: 200, headers: {}, body: { ok: false, error: 'invalid_json' } };
    }
    const call: RecordedCall = { method, args, at, response: outcome.body };
    this.calls.push(call);
    this.notify(this.callWaiters, call);
    if (outcome.body.ok === false && ['invalid_blocks', 'invalid_arguments', 'invalid_attachments'].includes(String(outcome.body.error))) {
      this.changed({ kind: 'channels' });
    }

    const delay = this.latency.get(method) ?? this.latency.get('') ?? 0;
    if (delay <= 0) {
      this.send(res, outcome);
      return;
    }
    const timer = setTimeout(() => {
      this.pendingAnswers.delete(timer);
      this.send(res, outcome);
    }, delay);
    this.pendingAnswers.add(timer);
  }

  private answer(method: string, args: Args, token: string | undefined): Outcome {
    const ok = (body: Payload): Outcome => ({ status: 200, headers: {}, body });
    // Injected faults come first: they stand for Slack failing before it looks at anything.
    const injection = this.injections.get(method)?.shift();
    if (injection?.kind === 'error') return ok({ ok: false, error: injection.error });
    if (injection?.kind === 'ratelimit') {
      return {
        status: 429,
        headers: { 'retry-after': String(injection.retryAfter) },
        body: { ok: false, error: 'ratelimited' },
      };
    }
    if (injection?.kind === 'http') {
      return { status: injection.status, headers: {}, body: { ok: false, error: `http_${injection.status}` } };
    }
    if (method === 'api.test') return ok({ ok: true, args }); // the one method Slack answers without a token
    if (!token) return ok({ ok: false, error: 'not_authed' });
    if (method === 'apps.connections.open') {
      // Socket Mode: only the app-level token opens a connection, as on Slack.
      if (!this.options.appToken || token !== this.options.appToken) return ok({ ok: false, error: 'invalid_auth' });
      return ok({ ok: true, url: this.options.socketModeUrl });
    }
    if (token !== this.botToken) return ok({ ok: false, error: 'invalid_auth' });
    const handler = this.handlers.get(method);
    if (!handler) return ok({ ok: false, error: 'unknown_method' });
    try {
      return ok({ ok: true, ...handler(args) });
    } catch (error) {
      if (error instanceof SlackApiFailure) return ok({ ok: false, error: error.code, ...error.extra });
      throw error;
    }
  }

  private handleResponseUrl(path: string, rawBody: string, res: ServerResponse): void {
    let body: Payload;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (!isRecord(parsed)) throw new SyntaxError('not an object');
      body = parsed;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    const post: ResponseUrlPost = { path, body, at: this.now() };
    this.responseUrlPosts.push(post);
    this.notify(this.postWaiters, post);
    // Slack's limits on a response_url: 5 uses within 30 minutes (only for URLs issued by responseUrl()).
    const issued = this.responseUrls.get(path);
    if (issued) {
      issued.uses += 1;
      if (post.at - issued.issuedAt > RESPONSE_URL_TTL_MS) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
        return;
      }
      if (issued.uses > RESPONSE_URL_MAX_USES) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
        return;
      }
    }
    if (body.blocks !== undefined) {
      const messages = messageBlockErrors(body.blocks);
      if (messages.length > 0) {
        this.calls.push({
          method: 'response_url',
          args: body,
          at: post.at,
          response: { ok: false, error: 'invalid_blocks', response_metadata: { messages } },
        });
        this.changed({ kind: 'channels' });
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_blocks');
        return;
      }
    }
    if (issued?.context) this.deliverResponse(`${this.baseUrl}${path}`, issued.context, body);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  /** A response_url answer shown as Slack shows it: in the channel, to one person, or in place. */
  private deliverResponse(url: string, context: ResponseUrlContext, body: Payload): void {
    const text = typeof body.text === 'string' ? body.text : undefined;
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const channel = this.channels.get(context.channel);
    if (!channel) return;
    const original = context.messageTs;
    const ephemeralOriginal = original ? this.ephemerals.find((e) => e.ts === original && e.user === context.user) : undefined;
    if (body.delete_original === true && original) {
      if (ephemeralOriginal) this.ephemerals.splice(this.ephemerals.indexOf(ephemeralOriginal), 1);
      else {
        const message = this.messageAt(channel.id, original);
        if (message) message.deleted = true;
      }
    } else if (body.replace_original === true && original) {
      if (ephemeralOriginal) {
        ephemeralOriginal.text = text;
        ephemeralOriginal.blocks = blocks;
      } else {
        const message = this.messageAt(channel.id, original);
        if (message) {
          message.text = text;
          message.blocks = blocks;
          message.updates += 1;
        }
      }
    } else if (body.response_type === 'in_channel') {
      this.messages.push({
        channel: channel.id,
        ts: this.nextTs(),
        text,
        blocks,
        user: this.botUserId,
        pinned: false,
        updates: 0,
        deleted: false,
      });
    } else {
      this.ephemerals.push({ channel: channel.id, ts: this.nextTs(), user: context.user, text, blocks, responseUrl: url });
    }
    this.changed({ kind: 'channel', channel: channel.id });
  }

  private send(res: ServerResponse, outcome: Outcome): void {
    if (res.writableEnded || res.destroyed) return;
    res
      .writeHead(outcome.status, { 'content-type': 'application/json; charset=utf-8', ...outcome.headers })
      .end(JSON.stringify(outcome.body));
  }

  private notify<T>(waiters: Set<Waiter<T>>, item: T): void {
    for (const waiter of waiters) {
      if (!waiter.predicate(item)) continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  private describeMissingCall(method: string, timeoutMs: number): string {
    const same = this.callsTo(method);
    const lines = [`FakeSlack: no ${method} call matching the predicate within ${timeoutMs} ms.`];
    lines.push(`Methods seen: ${this.methodsSeen()}.`);
    if (same.length > 0) {
      const last = same[same.length - 1];
      lines.push(
        `${same.length} ${method} call(s) did not match; the last had args ${JSON.stringify(last.args).slice(0, 500)} ` +
          `and got ${JSON.stringify(last.response).slice(0, 200)}.`,
      );
    }
    return lines.join(' ');
  }

  /** "auth.test, conversations.create (name_taken), chat.postMessage x3" */
  private methodsSeen(): string {
    const parts: string[] = [];
    let previous = '';
    let count = 0;
    const flush = (): void => {
      if (count > 0) parts.push(count > 1 ? `${previous} x${count}` : previous);
    };
    for (const call of this.calls) {
      const label = call.response.ok === true ? call.method : `${call.method} (${String(call.response.error)})`;
      if (label === previous) {
        count += 1;
      } else {
        flush();
        previous = label;
        count = 1;
      }
    }
    flush();
    return parts.length > 0 ? parts.join(', ') : 'none';
  }

  private inject(method: string, injection: Injection, times: number): void {
    const queue = this.injections.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(injection);
    this.injections.set(method, queue);
  }
}
