import { readSample } from '../../support/payloads';
import { signedHeaders, slackSignature } from '../../support/signing';
import { SIGNING_SECRET } from '../../support/testApp';

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

export const SLACK_PATHS = [
  '/api/v1/events/slack/event',
  '/api/v1/events/slack/command',
  '/api/v1/events/slack/action',
  '/api/v1/events/slack/menu',
];

export interface FuzzRequest {
  /** What was generated, for the report of a failure. */
  label: string;
  path: string;
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

/** A raw request line and headers, for request targets fetch will not send. */
export interface RawFuzzRequest {
  label: string;
  bytes: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const COMMANDS = [
  '/dispatch',
  '/dispatch-report-incident',
  '/dispatch-mark-active',
  '/dispatch-mark-stable',
  '/dispatch-mark-closed',
  '/dispatch-status-report',
  '/dispatch-list-tasks',
  '/dispatch-list-participants',
  '/dispatch-assign-role',
  '/dispatch-edit-incident',
  '/dispatch-engage-oncall',
  '/dispatch-list-resources',
  '/not-ours',
];

const STRANGE_STRINGS = [
  '',
  ' ',
  'null',
  '<!channel> <https://evil.example|click>',
  '\u0000\u0001\u0002',
  '🔥'.repeat(50),
  'a'.repeat(5000),
  '../../etc/passwd',
  "'; drop table incidents; --",
  '%s%n%x',
  '\\u0000',
  '{"type":"block_actions"}',
];

const sampleJson = (file: string) => JSON.parse(readSample(file)) as { [key: string]: Json };

/** Slack's own sample payloads, the seeds every valid and mutated request is grown from. */
const EVENT_SAMPLES = [
  'app_home_opened.json',
  'event_callback_reaction_added_full.json',
  'member_joined_channel.json',
  'member_left_channel.json',
  'message_channels.json',
  'reaction_added.json',
].map(sampleJson);
const INTERACTION_SAMPLES = ['block_actions_home_tab.json', 'block_actions_message.json', 'view_closed.json', 'view_submission.json'].map(
  sampleJson,
);
const COMMAND_SAMPLE = Object.fromEntries(new URLSearchParams(readSample('slash_command.form')));

function deepNest(depth: number, leaf: Json = 1): Json {
  let value: Json = leaf;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

function strangeValue(random: Random): Json {
  switch (random.int(9)) {
    case 0:
      return null;
    case 1:
      return random.pick([0, -1, 1e308, Number.MAX_SAFE_INTEGER, 3.14]);
    case 2:
      return random.pick(STRANGE_STRINGS);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return random.chance(0.5);
    case 6:
      return deepNest(random.pick([10, 40, 70, 300]));
    case 7:
      return [null, 'x', { type: null }];
    default:
      return { id: null, type: 'block_actions', channel: { id: 7 } };
  }
}

/** Every path to a value inside `value`, as key lists. */
function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (prefix.length > 6) return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      pathsOf(item, [...prefix, index], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

/** Replaces or deletes values at a few random places. */
function mutate(random: Random, original: { [key: string]: Json }): { [key: string]: Json } {
  const copy = structuredClone(original);
  const mutations = 1 + random.int(3);
  for (let count = 0; count < mutations; count += 1) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = random.pick(paths);
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
    const last = path[path.length - 1] as string | number;
    if (parent === null || typeof parent !== 'object') continue;
    if (random.chance(0.3) && !Array.isArray(parent)) delete (parent as Record<string, Json>)[last];
    else (parent as Record<string | number, Json>)[last] = strangeValue(random);
  }
  return copy;
}

let eventSequence = 0;
function freshEvent(random: Random): { [key: string]: Json } {
  const sample = structuredClone(random.pick(EVENT_SAMPLES));
  const body: { [key: string]: Json } = sample.type === 'event_callback' ? sample : { type: 'event_callback', event: sample };
  // Mostly new ids; some repeat, as Slack's retries do.
  body.event_id = random.chance(0.1)
    ? `Ev0FUZZREPEAT${random.int(20)}`
    : `Ev0FUZZ${Date.now().toString(36)}${(eventSequence++).toString(36)}`;
  body.event_time = Math.floor(Date.now() / 1000);
  body.api_app_id = 'A0APPTEST1';
  return body;
}

function interaction(random: Random, responseUrl: string, triggerId: string): { [key: string]: Json } {
  const body = structuredClone(random.pick(INTERACTION_SAMPLES));
  if ('response_url' in body) body.response_url = responseUrl;
  if ('trigger_id' in body) body.trigger_id = triggerId;
  if (random.chance(0.3))
    body.type = random.pick([
      'shortcut',
      'message_action',
      'block_suggestion',
      'dialog_submission',
      'something_new',
      'interactive_message',
    ]);
  return body;
}

function commandForm(random: Random, responseUrl: string, triggerId: string): Record<string, string> {
  const form: Record<string, string> = {
    ...COMMAND_SAMPLE,
    command: random.pick(COMMANDS),
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  form.text = random.pick(['', 'help', 'report Checkout is failing', 'stable', ...STRANGE_STRINGS]);
  form.channel_id = random.pick(['C0GENERAL1', 'CUNKNOWN00', '', 'G0PRIVATE1']);
  if (random.chance(0.15)) delete form.command;
  if (random.chance(0.05)) delete form.user_id;
  return form;
}

export interface FuzzContext {
  responseUrl(): string;
  triggerId(): string;
}

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** One generated request: a valid, mutated or broken Slack payload, signed well or badly. */
export function generateRequest(random: Random, context: FuzzContext): FuzzRequest {
  const path = random.chance(0.95)
    ? random.pick(SLACK_PATHS)
    : random.pick([...SLACK_PATHS.map((p) => `${p}?x=1`), `${SLACK_PATHS[0]}/`, '/healthz', '/', '/api/v1/events/slack']);
  const kind = random.int(100);
  let label: string;
  let body: string;
  let contentType = 'application/json';
  if (kind < 18) {
    label = 'event';
    body = JSON.stringify(freshEvent(random));
  } else if (kind < 30) {
    label = 'mutated event';
    body = JSON.stringify(mutate(random, freshEvent(random)));
  } else if (kind < 40) {
    label = 'command';
    contentType = 'application/x-www-form-urlencoded';
    body = formBody(commandForm(random, context.responseUrl(), context.triggerId()));
  } else if (kind < 46) {
    label = 'command with repeated fields';
    contentType = 'application/x-www-form-urlencoded';
    body = `${formBody(commandForm(random, context.responseUrl(), context.triggerId()))}&command=%2Fdispatch&text=again`;
  } else if (kind < 56) {
    label = 'interaction';
    contentType = 'application/x-www-form-urlencoded';
    body = formBody({ payload: JSON.stringify(interaction(random, context.responseUrl(), context.triggerId())) });
  } else if (kind < 68) {
    label = 'mutated interaction';
    contentType = 'application/x-www-form-urlencoded';
    body = formBody({ payload: JSON.stringify(mutate(random, interaction(random, context.responseUrl(), context.triggerId()))) });
  } else if (kind < 76) {
    label = 'JSON literal or broken JSON';
    body = random.pick([
      'null',
      'true',
      'false',
      '0',
      '-1',
      '"text"',
      '[]',
      '[null]',
      '{}',
      '{"type":',
      '{"type":"event_callback"',
      'nul',
      '',
      '\u0000',
      '{"a":1}garbage',
      '1e999',
      '{"__proto__":{"polluted":true}}',
    ]);
  } else if (kind < 82) {
    label = 'broken form payload';
    contentType = 'application/x-www-form-urlencoded';
    body = random.pick([
      'payload=null',
      'payload=',
      'payload=%7B',
      'payload=123',
      'payload=%5Bnull%5D',
      'payload=true',
      'payload=%22x%22',
      'payload=a&payload=b',
      '=&&=',
      '%%%',
      'payload=%7B%22type%22%3Anull%7D',
      '',
    ]);
  } else if (kind < 85) {
    label = 'deeply nested';
    // Written as text: building 20,000 levels as objects would overflow JSON.stringify here.
    const depth = random.pick([100, 100, 1_000, 1_000, 20_000]);
    const nested = `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`;
    if (random.chance(0.5))
      body = `{"type":"event_callback","event_id":"Ev0DEEP${random.int(1e9)}","event":{"type":"message","deep":${nested}}}`;
    else {
      contentType = 'application/x-www-form-urlencoded';
      body = formBody({ payload: `{"type":"block_actions","user":{"id":"U1"},"actions":[${nested}]}` });
    }
  } else if (kind < 86) {
    label = 'huge';
    const size = random.pick([300_000, 900_000, 1_100_000, 2_000_000]);
    body = JSON.stringify({
      type: 'event_callback',
      event_id: `Ev0HUGE${random.int(1e9)}`,
      event: { type: 'message', text: 'x'.repeat(size) },
    });
  } else if (kind < 92) {
    label = 'unknown or odd type';
    contentType = random.pick(['application/json', 'application/x-www-form-urlencoded']);
    const payload = {
      type: random.pick(['something_new', 'event_callback', 'url_verification', 'app_rate_limited', 'block_actions', 'view_submission']),
      user: random.chance(0.5) ? { id: 'U1' } : null,
      challenge: random.chance(0.5) ? 'c' : 7,
    };
    body = contentType === 'application/json' ? JSON.stringify(payload) : formBody({ payload: JSON.stringify(payload) });
  } else {
    label = 'odd content type';
    contentType = random.pick([
      'text/plain',
      'application/json; charset=utf-8',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded; charset=utf-8',
      '',
      'application/xml',
    ]);
    body = random.chance(0.5)
      ? JSON.stringify(freshEvent(random))
      : formBody(commandForm(random, context.responseUrl(), context.triggerId()));
  }
  const { headers, signing } = signingFor(random, body);
  return { label: `${label}, ${signing}`, path, contentType, body, headers };
}

function signingFor(random: Random, body: string): { headers: Record<string, string>; signing: string } {
  const now = Math.floor(Date.now() / 1000);
  const roll = random.int(100);
  if (roll < 70) return { headers: signedHeaders(SIGNING_SECRET, body), signing: 'signed' };
  if (roll < 75)
    return { headers: { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=deadbeef' }, signing: 'wrong signature' };
  if (roll < 78) return { headers: { 'x-slack-request-timestamp': String(now) }, signing: 'no signature' };
  if (roll < 81) return { headers: { 'x-slack-signature': slackSignature(SIGNING_SECRET, now, body) }, signing: 'no timestamp' };
  if (roll < 85) return { headers: signedHeaders(SIGNING_SECRET, body, now + 6 * 60), signing: 'signed 6 minutes ahead' };
  if (roll < 89) return { headers: signedHeaders(SIGNING_SECRET, body, now - 6 * 60), signing: 'signed 6 minutes ago' };
  if (roll < 92)
    return {
      headers: { 'x-slack-request-timestamp': 'soon', 'x-slack-signature': slackSignature(SIGNING_SECRET, 'soon', body) },
      signing: 'timestamp not a number',
    };
  if (roll < 95) return { headers: signedHeaders('another-apps-secret', body), signing: 'signed with another secret' };
  if (roll < 97)
    return {
      headers: {
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': `v1=${slackSignature(SIGNING_SECRET, now, body).slice(3)}`,
      },
      signing: 'unknown version',
    };
  return { headers: {}, signing: 'unsigned' };
}

/** Request targets and request lines fetch cannot produce. */
export function rawRequests(): RawFuzzRequest[] {
  const targets = [
    '/charts/%zz',
    '/charts/%E0%A4%A',
    '/charts/',
    '/charts/x/y',
    'http://[::1',
    'http://[::1]:x/api',
    '*',
    '//',
    '/%',
    '/%zz',
    'http://a:b@[',
    `/${'a'.repeat(8_000)}`,
    'http://127.0.0.1/api/v1/events/slack/event',
    '/api/v1/events/slack/event#frag',
    '?',
    'foo',
  ];
  const requests: RawFuzzRequest[] = [];
  for (const target of targets) {
    for (const method of ['POST', 'GET', 'OPTIONS', 'DELETE']) {
      requests.push({
        label: `${method} ${target.slice(0, 40)}`,
        bytes: `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      });
    }
  }
  requests.push({ label: 'garbage request line', bytes: 'HELLO\r\n\r\n' });
  requests.push({ label: 'bad header', bytes: 'POST /api/v1/events/slack/event HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n' });
  requests.push({
    label: 'bad content-length',
    bytes: 'POST /api/v1/events/slack/event HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
  });
  requests.push({ label: 'http/0.9', bytes: 'GET /\r\n\r\n' });
  return requests;
}
