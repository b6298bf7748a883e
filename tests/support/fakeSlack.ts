/**
 * A fake Slack Web API for tests: a real HTTP server on 127.0.0.1 that records every call
 * and answers the way Slack's Web API does, including its error codes, 429s and slow answers.
 *
 * Point a WebClient at it with `slackApiUrl: fake.apiUrl`, and response_url payloads at
 * `fake.responseUrl()`. Tests then assert on `calls`, `messages`, `channels` and friends.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Clock time (Date.now() unless options.now is given) when the request arrived. */
  at: number;
  /** The JSON body the fake answered with. */
  response: Record<string, unknown>;
}

export interface ResponseUrlPost {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  title?: string;
  email?: string;
  is_bot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  members: Set<string>;
  topic: string;
  purpose: string;
  created: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  user?: string;
  thread_ts?: string;
  pinned: boolean;
  updates: number;
  deleted: boolean;
}

/** A modal or Home tab view as the fake last answered it. */
export interface FakeView {
  id: string;
  type: string;
  hash: string;
  external_id?: string;
  /** Set for Home tabs published with views.publish. */
  user_id?: string;
  view: Record<string, unknown>;
  updates: number;
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  type: string;
  link: string;
  emoji?: string;
  date_created: number;
}

export interface FakeSlackOptions {
  botToken?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  teamId?: string;
  teamDomain?: string;
  /** Socket Mode: the app-level token apps.connections.open accepts, and the WebSocket URL it returns. */
  appToken?: string;
  socketModeUrl?: string;
  /**
   * When false (default), any id shaped like a Slack user id (U.../W...) is accepted as a user
   * even if addUser was never called, so tests stay light. When true, only known users exist.
   */
  strictUsers?: boolean;
  /** Clock used for `at`, message ts, trigger expiry and response_url expiry. Default Date.now. */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------
// Slack's limits (https://docs.slack.dev/reference/block-kit and method pages)
// ---------------------------------------------------------------------------------------------

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_SECTION_TEXT = 3000;
const MAX_SECTION_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;
const MAX_HEADER_TEXT = 150;
const MAX_ACTIONS_ELEMENTS = 25;
const MAX_CONTEXT_ELEMENTS = 10;
const MAX_OPTIONS = 100;
const MAX_BLOCK_ID = 255;
const MAX_TEXT = 40000;
const MAX_VIEW_TITLE = 24;
const MAX_PRIVATE_METADATA = 3000;
const MAX_CALLBACK_ID = 255;
const MAX_CHANNEL_NAME = 80;
const MAX_TOPIC = 250;
const MAX_PURPOSE = 250;
const TRIGGER_TTL_MS = 3000;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
const RESPONSE_URL_MAX_USES = 5;

/** Fields WebClient JSON-encodes into form fields; decoded so tests see structures. */
const JSON_FIELDS = ['blocks', 'attachments', 'view'] as const;

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_NAME = /^[a-z0-9_-]+$/;

type Args = Record<string, unknown>;
type Payload = Record<string, unknown>;
type Handler = (args: Args) => Payload;

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

/** Thrown by handlers; becomes `{ ok: false, error: code, ...extra }`. */
class SlackApiFailure extends Error {
  constructor(
    readonly code: string,
    readonly extra: Payload = {},
  ) {
    super(code);
  }
}

function fail(code: string, extra?: Payload): never {
  throw new SlackApiFailure(code, extra);
}

/** Slack's shape for schema errors: `invalid_arguments` with human-readable messages. */
function failArguments(messages: string[]): never {
  fail('invalid_arguments', { response_metadata: { messages } });
}

// ---------------------------------------------------------------------------------------------
// Argument helpers: form bodies carry every value as a string, JSON bodies carry real types.
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function argString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function argBool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

function argInt(args: Args, key: string): number | undefined {
  const raw = argString(args, key);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

function required(args: Args, key: string): string {
  const value = argString(args, key);
  if (value === undefined || value === '') failArguments([`[ERROR] missing required field: ${key}`]);
  return value;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** Slack ts "1700000000.000100" as an exact integer (microseconds), for ordering. */
function tsKey(ts: string): number {
  const [seconds = '0', micros = '0'] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(micros.padEnd(6, '0').slice(0, 6));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Opaque cursors that still round-trip: base64 of the next offset, like Slack's base64 cursors. */
function encodeCursor(offset: number): string {
  return Buffer.from(`next:${offset}`).toString('base64');
}

function paginate<T>(items: T[], args: Args, defaultLimit: number): { page: T[]; next_cursor: string } {
  let offset = 0;
  const cursor = argString(args, 'cursor');
  if (cursor) {
    const match = /^next:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match) fail('invalid_cursor');
    offset = Number(match[1]);
  }
  const asked = argInt(args, 'limit');
  // Slack treats 0 or a missing limit as its default and caps pages at 1000.
  const limit = Math.min(asked && asked > 0 ? asked : defaultLimit, 1000);
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? encodeCursor(offset + limit) : '';
  return { page, next_cursor: next };
}

// ---------------------------------------------------------------------------------------------
// Block Kit checks. Messages answer `invalid_blocks`, views `invalid_arguments`; both carry
// `response_metadata.messages` pointing at the offending field, as Slack does.
// ---------------------------------------------------------------------------------------------

function tooLong(limit: number, pointer: string): string {
  return `[ERROR] must be less than ${limit + 1} characters [json-pointer:${pointer}]`;
}

function tooMany(limit: number, pointer: string): string {
  return `[ERROR] no more than ${limit} items allowed [json-pointer:${pointer}]`;
}

function elementErrors(element: unknown, pointer: string): string[] {
  if (!isRecord(element)) return [];
  const errors: string[] = [];
  for (const key of ['options', 'option_groups', 'initial_options']) {
    const list = element[key];
    if (Array.isArray(list) && list.length > MAX_OPTIONS) errors.push(tooMany(MAX_OPTIONS, `${pointer}/${key}`));
  }
  return errors;
}

function blockErrors(blocks: unknown, pointer: string, max: number): string[] {
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${pointer}]`];
  const errors: string[] = [];
  if (blocks.length > max) errors.push(tooMany(max, pointer));
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      errors.push(`[ERROR] missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (block.block_id !== undefined) {
      const id = block.block_id;
      if (typeof id !== 'string' || id.length > MAX_BLOCK_ID) errors.push(tooLong(MAX_BLOCK_ID, `${at}/block_id`));
      else if (blockIds.has(id)) errors.push(`[ERROR] duplicate block_id: ${id} [json-pointer:${at}/block_id]`);
      else blockIds.add(id);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        if (block.text === undefined && block.fields === undefined) {
          errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
        }
        if (text !== undefined && text.length > MAX_SECTION_TEXT) errors.push(tooLong(MAX_SECTION_TEXT, `${at}/text/text`));
        if (Array.isArray(block.fields)) {
          if (block.fields.length > MAX_SECTION_FIELDS) errors.push(tooMany(MAX_SECTION_FIELDS, `${at}/fields`));
          block.fields.forEach((field: unknown, i) => {
            const fieldText = textOf(field);
            if (fieldText !== undefined && fieldText.length > MAX_FIELD_TEXT) {
              errors.push(tooLong(MAX_FIELD_TEXT, `${at}/fields/${i}/text`));
            }
          });
        }
        errors.push(...elementErrors(block.accessory, `${at}/accessory`));
        break;
      }
      case 'header': {
        const text = textOf(block.text);
        if (text === undefined) errors.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
        else if (text.length > MAX_HEADER_TEXT) errors.push(tooLong(MAX_HEADER_TEXT, `${at}/text/text`));
        break;
      }
      case 'actions':
      case 'context': {
        const limit = block.type === 'actions' ? MAX_ACTIONS_ELEMENTS : MAX_CONTEXT_ELEMENTS;
        if (!Array.isArray(block.elements)) {
          errors.push(`[ERROR] missing required field: elements [json-pointer:${at}]`);
        } else {
          if (block.elements.length > limit) errors.push(tooMany(limit, `${at}/elements`));
          block.elements.forEach((element: unknown, i) => {
            errors.push(...elementErrors(element, `${at}/elements/${i}`));
          });
        }
        break;
      }
      case 'input': {
        if (block.label === undefined) errors.push(`[ERROR] missing required field: label [json-pointer:${at}]`);
        if (block.element === undefined) errors.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
        errors.push(...elementErrors(block.element, `${at}/element`));
        break;
      }
      default:
        break;
    }
  });
  return errors;
}

/** Checks a view against Slack's schema; returns the parsed view or answers invalid_arguments. */
function checkView(raw: unknown, allowedTypes: string[]): Record<string, unknown> {
  if (!isRecord(raw)) failArguments(['[ERROR] failed to match all allowed schemas [json-pointer:/view]']);
  const view = raw;
  const errors: string[] = [];
  if (typeof view.type !== 'string' || !allowedTypes.includes(view.type)) {
    errors.push(`[ERROR] must be one of: ${allowedTypes.join(', ')} [json-pointer:/view/type]`);
  }
  if (view.type === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) errors.push('[ERROR] missing required field: title [json-pointer:/view]');
    else if (title.length > MAX_VIEW_TITLE) errors.push(tooLong(MAX_VIEW_TITLE, '/view/title/text'));
    for (const key of ['submit', 'close']) {
      const text = textOf(view[key]);
      if (text !== undefined && text.length > MAX_VIEW_TITLE) errors.push(tooLong(MAX_VIEW_TITLE, `/view/${key}/text`));
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      errors.push('[ERROR] must provide submit when there are input blocks [json-pointer:/view/submit]');
    }
  }
  if (view.blocks === undefined) errors.push('[ERROR] missing required field: blocks [json-pointer:/view]');
  else errors.push(...blockErrors(view.blocks, '/view/blocks', MAX_VIEW_BLOCKS));
  const limits: Array<[string, number]> = [
    ['private_metadata', MAX_PRIVATE_METADATA],
    ['callback_id', MAX_CALLBACK_ID],
    ['external_id', MAX_CALLBACK_ID],
  ];
  for (const [key, limit] of limits) {
    const value = view[key];
    if (value !== undefined && (typeof value !== 'string' || value.length > limit)) {
      errors.push(tooLong(limit, `/view/${key}`));
    }
  }
  if (errors.length > 0) failArguments(errors);
  return view;
}

function checkMessageContent(args: Args): { text?: string; blocks?: unknown[]; attachments?: unknown[] } {
  const text = argString(args, 'text');
  const { blocks, attachments } = args;
  if (typeof blocks === 'string') fail('invalid_blocks_format'); // a string left over is malformed JSON
  if (blocks !== undefined) {
    const messages = blockErrors(blocks, '/blocks', MAX_MESSAGE_BLOCKS);
    if (messages.length > 0) fail('invalid_blocks', { response_metadata: { messages } });
  }
  if (attachments !== undefined && !Array.isArray(attachments)) fail('invalid_attachments');
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if ((text === undefined || text === '') && !hasBlocks && !hasAttachments) fail('no_text');
  if (text !== undefined && text.length > MAX_TEXT) fail('msg_too_long');
  return {
    text,
    blocks: Array.isArray(blocks) ? blocks : undefined,
    attachments: Array.isArray(attachments) ? attachments : undefined,
  };
}

function channelNameError(name: string): string | undefined {
  if (name === '') return 'invalid_name_required';
  if (name.length > MAX_CHANNEL_NAME) return 'invalid_name_maxlength';
  if (!CHANNEL_NAME.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export class FakeSlack {
  readonly apiUrl: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly teamId: string;

  readonly calls: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** Messages posted with chat.postMessage or addMessage. Ephemerals are only recorded as calls. */
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, FakeView>();
  readonly bookmarks: FakeBookmark[] = [];

  private readonly baseUrl: string;
  private readonly botToken: string;
  private readonly teamDomain: string;
  private readonly strictUsers: boolean;
  private readonly now: () => number;
  private readonly handlers: Map<string, Handler>;

  private idCounter = 0;
  private tsCounter = 0;
  private lastTsSeconds = 0;
  private readonly imByUser = new Map<string, string>();
  private readonly mpims = new Set<string>();
  private readonly creators = new Map<string, string>();
  private readonly reactions = new Map<string, Map<string, Set<string>>>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly homeViews = new Map<string, string>();
  private readonly responseUrls = new Map<string, { issuedAt: number; uses: number }>();
  private readonly injections = new Map<string, Injection[]>();
  private readonly latency = new Map<string, number>(); // '' holds the all-methods latency
  private readonly pendingAnswers = new Set<NodeJS.Timeout>();
  private readonly callWaiters = new Set<Waiter<RecordedCall>>();
  private readonly postWaiters = new Set<Waiter<ResponseUrlPost>>();

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly options: FakeSlackOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.botUserId = options.botUserId ?? 'UBOT000001';
    this.botId = options.botId ?? 'BBOT000001';
    this.appId = options.appId ?? 'A0APPTEST1';
    this.teamId = options.teamId ?? 'T0TEAM0001';
    this.teamDomain = options.teamDomain ?? 'acme';
    this.strictUsers = options.strictUsers ?? false;
    this.now = options.now ?? Date.now;
    this.handlers = this.buildHandlers();
    this.addBotUser();
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, port, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => fake.onRequest(req, res));
    return fake;
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
    this.messages.length = 0;
    this.bookmarks.length = 0;
    this.users.clear();
    this.channels.clear();
    this.views.clear();
    this.imByUser.clear();
    this.mpims.clear();
    this.creators.clear();
    this.reactions.clear();
    this.triggers.clear();
    this.homeViews.clear();
    this.responseUrls.clear();
    this.injections.clear();
    this.latency.clear();
    this.addBotUser();
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

  messageAt(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.deleted).sort((a, b) => tsKey(a.ts) - tsKey(b.ts));
  }

  // ----- setup ----------------------------------------------------------------------------

  responseUrl(id?: string): string {
    const path = `/response/${id ?? `R${pad(this.nextId(), 8)}`}`;
    this.responseUrls.set(path, { issuedAt: this.now(), uses: 0 });
    return `${this.baseUrl}${path}`;
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(channel: Partial<FakeChannel> & { name: string }): FakeChannel {
    const isPrivate = channel.is_private ?? false;
    const isIm = channel.is_im ?? false;
    const prefix = isIm ? 'D' : isPrivate ? 'G' : 'C';
    const created: FakeChannel = {
      id: channel.id ?? this.newId(prefix),
      name: channel.name,
      is_private: isPrivate,
      is_im: isIm,
      is_archived: channel.is_archived ?? false,
      members: new Set(channel.members ?? [this.botUserId]),
      topic: channel.topic ?? '',
      purpose: channel.purpose ?? '',
      created: channel.created ?? this.nowSeconds(),
    };
    if (this.channels.has(created.id)) throw new Error(`FakeSlack.addChannel: channel ${created.id} already exists`);
    this.channels.set(created.id, created);
    if (isIm) {
      const other = [...created.members].find((m) => m !== this.botUserId);
      if (other) this.imByUser.set(other, created.id);
    }
    return created;
  }

  /** Adds a message as if a person (or another app) had posted it. */
  addMessage(msg: Partial<FakeMessage> & { channel: string; text?: string; user: string }): FakeMessage {
    if (!this.channels.has(msg.channel)) {
      throw new Error(`FakeSlack.addMessage: unknown channel ${msg.channel}; addChannel it first`);
    }
    const message: FakeMessage = {
      ...msg,
      ts: msg.ts ?? this.nextTs(),
      pinned: msg.pinned ?? false,
      updates: msg.updates ?? 0,
      deleted: msg.deleted ?? false,
    };
    this.messages.push(message);
    return message;
  }

  /** A trigger_id as Slack puts in a command or interaction payload: usable once, for 3 s. */
  issueTriggerId(): string {
    const id = `${1_000_000_000 + this.nextId()}.${this.teamId.replace(/\D/g, '') || '1'}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false });
    return id;
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
      try {
        this.route(req, Buffer.concat(chunks).toString('utf8'), res);
      } catch (error) {
        // A bug in the fake must be loud, not look like a Slack answer.
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.send(res, { status: 500, headers: {}, body: { ok: false, error: 'fake_slack_internal_error', detail } });
      }
    });
  }

  private route(req: IncomingMessage, rawBody: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/api/')) {
      this.handleApiCall(decodeURIComponent(url.pathname.slice('/api/'.length)), req.headers, rawBody, url.searchParams, res);
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      this.handleResponseUrl(url.pathname, rawBody, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
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
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
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

  // ---------------------------------------------------------------------------------------------
  // State helpers
  // ---------------------------------------------------------------------------------------------

  private addBotUser(): void {
    this.users.set(this.botUserId, { id: this.botUserId, name: 'dispatch', real_name: 'Dispatch', is_bot: true, deleted: false });
  }

  private nextId(): number {
    this.idCounter += 1;
    return this.idCounter;
  }

  private newId(prefix: string): string {
    return `${prefix}0F${pad(this.nextId(), 8)}`;
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Unique, increasing, Slack-shaped: seconds, a dot, six digits. */
  private nextTs(): string {
    this.lastTsSeconds = Math.max(this.lastTsSeconds, this.nowSeconds());
    this.tsCounter = (this.tsCounter + 1) % 1_000_000;
    if (this.tsCounter === 0) {
      this.lastTsSeconds += 1; // counter wrapped: move to the next second to stay increasing
      this.tsCounter = 1;
    }
    return `${this.lastTsSeconds}.${pad(this.tsCounter, 6)}`;
  }

  private isUser(id: string): boolean {
    return this.users.has(id) || (!this.strictUsers && USER_ID.test(id));
  }

  private userRecord(id: string): FakeUser {
    const known = this.users.get(id);
    if (known) return known;
    if (!this.isUser(id)) fail('user_not_found');
    // Lenient mode: a user the test never declared still exists, with a name derived from the id.
    return { id, name: id.toLowerCase() };
  }

  /** Looks up a channel id (or a user id, meaning the DM with that user). */
  private channel(args: Args, key = 'channel'): FakeChannel {
    const id = argString(args, key);
    if (!id) fail('channel_not_found');
    const found = this.channels.get(id);
    if (found) return found;
    if (USER_ID.test(id) && this.isUser(id)) return this.imFor(id).channel;
    // chat.postMessage also accepts a channel name.
    const name = id.replace(/^#/, '');
    const byName = [...this.channels.values()].find((c) => !c.is_im && c.name === name);
    if (byName) return byName;
    fail('channel_not_found');
  }

  private imFor(userId: string): { channel: FakeChannel; existed: boolean } {
    const existing = this.imByUser.get(userId);
    const channel = existing ? this.channels.get(existing) : undefined;
    if (channel) return { channel, existed: true };
    const im: FakeChannel = {
      id: this.newId('D'),
      name: userId,
      is_private: true,
      is_im: true,
      is_archived: false,
      members: new Set([this.botUserId, userId]),
      topic: '',
      purpose: '',
      created: this.nowSeconds(),
    };
    this.channels.set(im.id, im);
    this.imByUser.set(userId, im.id);
    return { channel: im, existed: false };
  }

  private requireWritable(channel: FakeChannel): void {
    if (channel.is_archived) fail('is_archived');
    if (!channel.is_im && !channel.members.has(this.botUserId)) fail('not_in_channel');
  }

  private requireConversation(channel: FakeChannel): void {
    if (channel.is_im || this.mpims.has(channel.id)) fail('method_not_supported_for_channel_type');
  }

  private message(channel: FakeChannel, ts: string | undefined): FakeMessage {
    const found = ts ? this.messageAt(channel.id, ts) : undefined;
    if (!found || found.deleted) fail('message_not_found');
    return found;
  }

  private nameTaken(name: string, exceptId?: string): boolean {
    for (const c of this.channels.values()) {
      if (!c.is_im && c.name === name && c.id !== exceptId) return true;
    }
    return false;
  }

  private slackUser(user: FakeUser): Payload {
    const realName = user.real_name ?? user.name;
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      real_name: realName,
      deleted: user.deleted ?? false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
      is_admin: false,
      tz: user.tz ?? 'America/Los_Angeles',
      profile: {
        real_name: realName,
        display_name: user.name,
        title: user.title ?? '',
        ...(user.email !== undefined ? { email: user.email } : {}),
        ...(user.is_bot ? { bot_id: this.botId } : {}),
        image_48: `https://avatars.example.invalid/${user.id}_48.png`,
        team: this.teamId,
      },
    };
  }

  private slackChannel(channel: FakeChannel, withCount = false): Payload {
    if (channel.is_im) {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: [...channel.members].find((m) => m !== this.botUserId) ?? this.botUserId,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: this.mpims.has(channel.id),
      is_private: channel.is_private,
      is_archived: channel.is_archived,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(this.botUserId),
      created: channel.created,
      creator: this.creators.get(channel.id) ?? '',
      context_team_id: this.teamId,
      topic: { value: channel.topic, creator: '', last_set: 0 },
      purpose: { value: channel.purpose, creator: '', last_set: 0 },
      previous_names: [],
      ...(withCount ? { num_members: channel.members.size } : {}),
    };
  }

  private slackMessage(message: FakeMessage): Payload {
    const fromBot = message.user === this.botUserId;
    const replies = this.messages.filter((m) => !m.deleted && m.thread_ts === message.ts && m.ts !== message.ts);
    const reactions = this.reactions.get(`${message.channel}/${message.ts}`);
    return {
      type: 'message',
      ts: message.ts,
      text: message.text ?? '',
      ...(message.user !== undefined ? { user: message.user } : {}),
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      ...(message.attachments !== undefined ? { attachments: message.attachments } : {}),
      ...(fromBot ? { bot_id: this.botId, app_id: this.appId } : {}),
      ...(message.thread_ts !== undefined ? { thread_ts: message.thread_ts } : {}),
      ...(replies.length > 0 ? { thread_ts: message.ts, reply_count: replies.length } : {}),
      ...(message.pinned ? { pinned_to: [message.channel] } : {}),
      ...(message.updates > 0 ? { edited: { user: message.user ?? '', ts: message.ts } } : {}),
      ...(reactions && reactions.size > 0
        ? { reactions: [...reactions].map(([name, users]) => ({ name, users: [...users], count: users.size })) }
        : {}),
      team: this.teamId,
    };
  }

  private slackView(id: string, view: Record<string, unknown>, hash: string, rootViewId: string): Payload {
    return {
      ...view,
      id,
      team_id: this.teamId,
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      state: { values: {} },
      hash,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      root_view_id: rootViewId,
      previous_view_id: null,
      app_id: this.appId,
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  private newHash(): string {
    return `${this.nowSeconds()}.${randomBytes(6).toString('base64url')}`;
  }

  private storeView(raw: Record<string, unknown>, existing?: FakeView, userId?: string): FakeView {
    const id = existing?.id ?? this.newId('V');
    const hash = this.newHash();
    const externalId = typeof raw.external_id === 'string' && raw.external_id !== '' ? raw.external_id : undefined;
    const stored: FakeView = {
      id,
      type: String(raw.type),
      hash,
      ...(externalId !== undefined ? { external_id: externalId } : {}),
      ...(userId !== undefined ? { user_id: userId } : {}),
      view: this.slackView(id, raw, hash, id),
      updates: existing ? existing.updates + 1 : 0,
    };
    this.views.set(id, stored);
    return stored;
  }

  private useTrigger(args: Args): void {
    const id = required(args, 'trigger_id');
    const trigger = this.triggers.get(id);
    if (!trigger) fail('invalid_trigger_id');
    if (trigger.used || this.now() - trigger.issuedAt > TRIGGER_TTL_MS) fail('expired_trigger_id');
    trigger.used = true;
  }

  private checkExternalIdFree(view: Record<string, unknown>, exceptId?: string): void {
    const externalId = view.external_id;
    if (typeof externalId !== 'string' || externalId === '') return;
    for (const v of this.views.values()) {
      if (v.external_id === externalId && v.id !== exceptId) fail('duplicate_external_id');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Web API methods
  // ---------------------------------------------------------------------------------------------

  private buildHandlers(): Map<string, Handler> {
    const h = new Map<string, Handler>();
    const teamName = this.teamDomain.charAt(0).toUpperCase() + this.teamDomain.slice(1);

    // ----- auth, team, users -----
    h.set('auth.test', () => ({
      url: `https://${this.teamDomain}.slack.com/`,
      team: teamName,
      user: 'dispatch',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }));
    h.set('team.info', () => ({
      team: { id: this.teamId, name: teamName, domain: this.teamDomain, email_domain: '', icon: {} },
    }));
    h.set('users.info', (args) => {
      const id = argString(args, 'user');
      if (!id) fail('user_not_found');
      return { user: this.slackUser(this.userRecord(id)) };
    });
    h.set('users.lookupByEmail', (args) => {
      const email = required(args, 'email').toLowerCase();
      const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
      if (!user) fail('users_not_found');
      return { user: this.slackUser(user) };
    });
    h.set('users.list', (args) => {
      const { page, next_cursor } = paginate([...this.users.values()], args, 1000);
      return { members: page.map((u) => this.slackUser(u)), cache_ts: this.nowSeconds(), response_metadata: { next_cursor } };
    });

    // ----- conversations -----
    h.set('conversations.create', (args) => {
      const name = argString(args, 'name') ?? '';
      const nameError = channelNameError(name);
      if (nameError) fail(nameError);
      if (this.nameTaken(name)) fail('name_taken');
      // Slack answers C... ids for private channels too nowadays.
      const channel: FakeChannel = {
        id: this.newId('C'),
        name,
        is_private: argBool(args, 'is_private'),
        is_im: false,
        is_archived: false,
        members: new Set([this.botUserId]),
        topic: '',
        purpose: '',
        created: this.nowSeconds(),
      };
      this.channels.set(channel.id, channel);
      this.creators.set(channel.id, this.botUserId);
      return { channel: this.slackChannel(channel) };
    });
    h.set('conversations.invite', (args) => {
      const channel = this.channel(args);
      const users = splitList(argString(args, 'users'));
      if (users.length === 0) fail('no_user');
      this.requireConversation(channel);
      this.requireWritable(channel);
      if (users.includes(this.botUserId)) fail('cant_invite_self');
      if (users.some((u) => !this.isUser(u))) fail('user_not_found');
      const fresh = users.filter((u) => !channel.members.has(u));
      if (fresh.length === 0) fail('already_in_channel');
      for (const u of fresh) channel.members.add(u);
      return { channel: this.slackChannel(channel) };
    });
    h.set('conversations.kick', (args) => {
      const channel = this.channel(args);
      const user = required(args, 'user');
      this.requireConversation(channel);
      if (user === this.botUserId) fail('cant_kick_self');
      this.requireWritable(channel);
      if (!channel.members.has(user)) fail('not_in_channel');
      channel.members.delete(user);
      return {};
    });
    h.set('conversations.leave', (args) => {
      const channel = this.channel(args);
      this.requireConversation(channel);
      if (channel.is_archived) fail('is_archived');
      if (!channel.members.has(this.botUserId)) return { not_in_channel: true };
      channel.members.delete(this.botUserId);
      return {};
    });
    h.set('conversations.join', (args) => {
      const channel = this.channel(args);
      this.requireConversation(channel);
      if (channel.is_private) fail('method_not_supported_for_channel_type');
      if (channel.is_archived) fail('is_archived');
      const already = channel.members.has(this.botUserId);
      channel.members.add(this.botUserId);
      return { channel: this.slackChannel(channel), ...(already ? { warning: 'already_in_channel' } : {}) };
    });
    h.set('conversations.info', (args) => ({ channel: this.slackChannel(this.channel(args), true) }));
    h.set('conversations.members', (args) => {
      const { page, next_cursor } = paginate([...this.channel(args).members], args, 100);
      return { members: page, response_metadata: { next_cursor } };
    });
    h.set('conversations.list', (args) => {
      const types = splitList(argString(args, 'types') ?? 'public_channel');
      const excludeArchived = argBool(args, 'exclude_archived');
      const listed = [...this.channels.values()].filter((c) => {
        if (excludeArchived && c.is_archived) return false;
        if (c.is_im) return types.includes('im');
        if (this.mpims.has(c.id)) return types.includes('mpim');
        // The bot only sees private channels it is in.
        if (c.is_private) return types.includes('private_channel') && c.members.has(this.botUserId);
        return types.includes('public_channel');
      });
      const { page, next_cursor } = paginate(listed, args, 100);
      return { channels: page.map((c) => this.slackChannel(c)), response_metadata: { next_cursor } };
    });
    h.set('conversations.setTopic', (args) => {
      const channel = this.channel(args);
      this.requireWritable(channel);
      const topic = argString(args, 'topic') ?? '';
      if (topic.length > MAX_TOPIC) fail('too_long');
      channel.topic = topic;
      return { channel: this.slackChannel(channel) };
    });
    h.set('conversations.setPurpose', (args) => {
      const channel = this.channel(args);
      this.requireWritable(channel);
      const purpose = argString(args, 'purpose') ?? '';
      if (purpose.length > MAX_PURPOSE) fail('too_long');
      channel.purpose = purpose;
      return { channel: this.slackChannel(channel) };
    });
    h.set('conversations.archive', (args) => {
      const channel = this.channel(args);
      this.requireConversation(channel);
      if (channel.is_archived) fail('already_archived');
      this.requireWritable(channel);
      channel.is_archived = true;
      return {};
    });
    h.set('conversations.unarchive', (args) => {
      const channel = this.channel(args);
      this.requireConversation(channel);
      if (!channel.is_archived) fail('not_archived');
      channel.is_archived = false;
      return {};
    });
    h.set('conversations.rename', (args) => {
      const channel = this.channel(args);
      this.requireConversation(channel);
      this.requireWritable(channel);
      const name = argString(args, 'name') ?? '';
      const nameError = channelNameError(name);
      if (nameError) fail(nameError);
      if (this.nameTaken(name, channel.id)) fail('name_taken');
      channel.name = name;
      return { channel: this.slackChannel(channel) };
    });
    h.set('conversations.open', (args) => {
      const reopen = argString(args, 'channel');
      if (reopen) return { channel: { id: this.channel(args).id }, already_open: true };
      const users = splitList(argString(args, 'users')).filter((u) => u !== this.botUserId);
      if (users.length === 0) fail('users_list_not_supplied');
      if (users.some((u) => !this.isUser(u))) fail('user_not_found');
      if (users.length === 1) {
        const { channel, existed } = this.imFor(users[0]);
        return { no_op: existed, already_open: existed, channel: { id: channel.id } };
      }
      // A group DM: an mpim, private, with everyone plus the bot.
      const name = `mpdm-${users.map((u) => u.toLowerCase()).join('--')}-1`;
      const existing = [...this.channels.values()].find((c) => this.mpims.has(c.id) && c.name === name);
      if (existing) return { no_op: true, already_open: true, channel: { id: existing.id } };
      const mpim = this.addChannel({ id: this.newId('G'), name, is_private: true, members: new Set([this.botUserId, ...users]) });
      this.mpims.add(mpim.id);
      return { channel: { id: mpim.id } };
    });
    h.set('conversations.history', (args) => {
      const channel = this.channel(args);
      if (!channel.is_im && !channel.members.has(this.botUserId)) fail('not_in_channel');
      const inclusive = argBool(args, 'inclusive');
      const latest = argString(args, 'latest');
      const oldest = argString(args, 'oldest');
      const within = (m: FakeMessage): boolean => {
        const key = tsKey(m.ts);
        if (latest && (inclusive ? key > tsKey(latest) : key >= tsKey(latest))) return false;
        if (oldest && (inclusive ? key < tsKey(oldest) : key <= tsKey(oldest))) return false;
        return true;
      };
      // Top-level messages only, newest first, as Slack returns them.
      const top = this.messagesIn(channel.id)
        .filter((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && within(m))
        .reverse();
      const { page, next_cursor } = paginate(top, args, 100);
      return {
        messages: page.map((m) => this.slackMessage(m)),
        has_more: next_cursor !== '',
        pin_count: this.messagesIn(channel.id).filter((m) => m.pinned).length,
        response_metadata: { next_cursor },
      };
    });
    h.set('conversations.replies', (args) => {
      const channel = this.channel(args);
      if (!channel.is_im && !channel.members.has(this.botUserId)) fail('not_in_channel');
      const ts = required(args, 'ts');
      const thread = this.messagesIn(channel.id).filter((m) => m.ts === ts || m.thread_ts === ts);
      if (thread.length === 0) fail('thread_not_found');
      const { page, next_cursor } = paginate(thread, args, 1000);
      return { messages: page.map((m) => this.slackMessage(m)), has_more: next_cursor !== '', response_metadata: { next_cursor } };
    });

    // ----- chat -----
    h.set('chat.postMessage', (args) => {
      const content = checkMessageContent(args);
      const channel = this.channel(args);
      this.requireWritable(channel);
      const threadTs = argString(args, 'thread_ts');
      const message: FakeMessage = {
        channel: channel.id,
        ts: this.nextTs(),
        ...content,
        user: this.botUserId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        pinned: false,
        updates: 0,
        deleted: false,
      };
      this.messages.push(message);
      return { channel: channel.id, ts: message.ts, message: this.slackMessage(message) };
    });
    h.set('chat.postEphemeral', (args) => {
      checkMessageContent(args);
      const channel = this.channel(args);
      const user = required(args, 'user');
      if (channel.is_archived) fail('is_archived');
      if (!channel.members.has(user)) fail('user_not_in_channel');
      return { message_ts: this.nextTs() };
    });
    h.set('chat.update', (args) => {
      const channel = this.channel(args);
      const message = this.message(channel, argString(args, 'ts'));
      if (message.user !== this.botUserId) fail('cant_update_message');
      if (channel.is_archived) fail('is_archived');
      const { text, blocks, attachments } = checkMessageContent(args);
      // Slack keeps what the update leaves out.
      if (text !== undefined) message.text = text;
      if (blocks !== undefined) message.blocks = blocks;
      if (attachments !== undefined) message.attachments = attachments;
      message.updates += 1;
      return { channel: channel.id, ts: message.ts, text: message.text ?? '', message: this.slackMessage(message) };
    });
    h.set('chat.delete', (args) => {
      const channel = this.channel(args);
      const message = this.message(channel, argString(args, 'ts'));
      if (message.user !== this.botUserId) fail('cant_delete_message');
      message.deleted = true;
      return { channel: channel.id, ts: message.ts };
    });
    h.set('chat.getPermalink', (args) => {
      const id = argString(args, 'channel');
      // Lenient about the ts: tests reference human messages the fake never saw.
      const channel = id ? this.channels.get(id) : undefined;
      if (!channel) fail('message_not_found');
      const ts = required(args, 'message_ts');
      const base = `https://${this.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
      const threadTs = this.messageAt(channel.id, ts)?.thread_ts;
      const permalink = threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel.id}` : base;
      return { channel: channel.id, permalink };
    });

    // ----- views -----
    h.set('views.open', (args) => {
      const view = checkView(args.view, ['modal']);
      this.checkExternalIdFree(view);
      this.useTrigger(args);
      return { view: this.storeView(view).view };
    });
    h.set('views.push', (args) => {
      const view = checkView(args.view, ['modal']);
      this.checkExternalIdFree(view);
      this.useTrigger(args);
      return { view: this.storeView(view).view };
    });
    h.set('views.update', (args) => {
      const viewId = argString(args, 'view_id');
      const externalId = argString(args, 'external_id');
      if (!viewId && !externalId) failArguments(['[ERROR] missing required field: view_id or external_id']);
      const existing = viewId ? this.views.get(viewId) : [...this.views.values()].find((v) => v.external_id === externalId);
      if (!existing) fail('not_found');
      const hash = argString(args, 'hash');
      if (hash && hash !== existing.hash) fail('hash_conflict');
      const view = checkView(args.view, [existing.type]);
      this.checkExternalIdFree(view, existing.id);
      return { view: this.storeView(view, existing, existing.user_id).view };
    });
    h.set('views.publish', (args) => {
      const userId = required(args, 'user_id');
      if (!this.isUser(userId)) fail('user_not_found');
      const view = checkView(args.view, ['home']);
      const existingId = this.homeViews.get(userId);
      const existing = existingId ? this.views.get(existingId) : undefined;
      const hash = argString(args, 'hash');
      if (hash && existing && hash !== existing.hash) fail('hash_conflict');
      const stored = this.storeView(view, existing, userId);
      this.homeViews.set(userId, stored.id);
      return { view: stored.view };
    });

    // ----- pins, reactions, bookmarks -----
    h.set('pins.add', (args) => {
      const channel = this.channel(args);
      this.requireWritable(channel);
      const message = this.message(channel, argString(args, 'timestamp'));
      if (message.pinned) fail('already_pinned');
      message.pinned = true;
      return {};
    });
    h.set('pins.remove', (args) => {
      const channel = this.channel(args);
      const message = this.message(channel, argString(args, 'timestamp'));
      if (!message.pinned) fail('no_pin');
      message.pinned = false;
      return {};
    });
    h.set('pins.list', (args) => {
      const channel = this.channel(args);
      const items = this.messagesIn(channel.id)
        .filter((m) => m.pinned)
        .map((m) => ({
          type: 'message',
          channel: channel.id,
          created: Number(m.ts.split('.')[0]),
          created_by: this.botUserId,
          message: this.slackMessage(m),
        }));
      return { items };
    });
    h.set('reactions.add', (args) => {
      const channel = this.channel(args);
      const message = this.message(channel, argString(args, 'timestamp'));
      const name = (argString(args, 'name') ?? '').replace(/^:|:$/g, '');
      if (!/^[a-z0-9_+'-]+$/.test(name)) fail('invalid_name');
      const key = `${channel.id}/${message.ts}`;
      const byName = this.reactions.get(key) ?? new Map<string, Set<string>>();
      const users = byName.get(name) ?? new Set<string>();
      if (users.has(this.botUserId)) fail('already_reacted');
      users.add(this.botUserId);
      byName.set(name, users);
      this.reactions.set(key, byName);
      return {};
    });
    h.set('reactions.remove', (args) => {
      const channel = this.channel(args);
      const message = this.message(channel, argString(args, 'timestamp'));
      const name = (argString(args, 'name') ?? '').replace(/^:|:$/g, '');
      const users = this.reactions.get(`${channel.id}/${message.ts}`)?.get(name);
      if (!users?.delete(this.botUserId)) fail('no_reaction');
      return {};
    });
    h.set('bookmarks.add', (args) => {
      const channel = this.channel(args, 'channel_id');
      this.requireWritable(channel);
      const title = required(args, 'title');
      const type = required(args, 'type');
      if (type !== 'link') fail('invalid_bookmark_type');
      const link = argString(args, 'link');
      if (!link || !/^https?:\/\//.test(link)) fail('invalid_link');
      const emoji = argString(args, 'emoji');
      const bookmark: FakeBookmark = {
        id: this.newId('Bk'),
        channel_id: channel.id,
        title,
        type,
        link,
        ...(emoji !== undefined ? { emoji } : {}),
        date_created: this.nowSeconds(),
      };
      this.bookmarks.push(bookmark);
      return {
        bookmark: {
          ...bookmark,
          date_updated: bookmark.date_created,
          rank: 'U',
          last_updated_by_user_id: this.botUserId,
          app_id: this.appId,
        },
      };
    });
    h.set('bookmarks.list', (args) => {
      const channel = this.channel(args, 'channel_id');
      return { bookmarks: this.bookmarks.filter((b) => b.channel_id === channel.id) };
    });
    h.set('bookmarks.remove', (args) => {
      const channel = this.channel(args, 'channel_id');
      const id = required(args, 'bookmark_id');
      const index = this.bookmarks.findIndex((b) => b.id === id && b.channel_id === channel.id);
      if (index < 0) fail('not_found');
      this.bookmarks.splice(index, 1);
      return {};
    });
    return h;
  }
}

// ---------------------------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------------------------

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : undefined;
}

/** Query string plus a form or JSON body; throws SyntaxError for a malformed JSON body. */
function parseArgs(contentType: string | undefined, rawBody: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (rawBody.trim() !== '') {
    if ((contentType ?? '').toLowerCase().startsWith('application/json')) {
      const parsed: unknown = JSON.parse(rawBody);
      if (!isRecord(parsed)) throw new SyntaxError('JSON body is not an object');
      Object.assign(args, parsed);
    } else {
      Object.assign(args, Object.fromEntries(new URLSearchParams(rawBody)));
    }
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // Left as a string: the method answers invalid_blocks_format / invalid_arguments.
    }
  }
  return args;
}

/**
 * What Slack would find wrong with these message blocks (empty when it would accept them). For
 * answers the fake does not check itself, such as response_url posts.
 */
export function messageBlockErrors(blocks: unknown): string[] {
  return blockErrors(blocks, '/blocks', MAX_MESSAGE_BLOCKS);
}
