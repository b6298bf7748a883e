/**
 * Web API arguments and answers: form bodies carry every value as a string, JSON bodies carry
 * real types; failures become `{ ok: false, error }` as on Slack.
 */

export type Args = Record<string, unknown>;
export type Payload = Record<string, unknown>;

/** Thrown by method handlers; becomes `{ ok: false, error: code, ...extra }`. */
export class SlackApiFailure extends Error {
  constructor(
    readonly code: string,
    readonly extra: Payload = {},
  ) {
    super(code);
  }
}

export function fail(code: string, extra?: Payload): never {
  throw new SlackApiFailure(code, extra);
}

/** Slack's shape for schema errors: `invalid_arguments` with human-readable messages. */
export function failArguments(messages: string[]): never {
  fail('invalid_arguments', { response_metadata: { messages } });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function argString(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function argBool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

export function argInt(args: Args, key: string): number | undefined {
  const raw = argString(args, key);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

export function required(args: Args, key: string): string {
  const value = argString(args, key);
  if (value === undefined || value === '') failArguments([`[ERROR] missing required field: ${key}`]);
  return value;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** Slack ts "1700000000.000100" as an exact integer (microseconds), for ordering. */
export function tsKey(ts: string): number {
  const [seconds = '0', micros = '0'] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(micros.padEnd(6, '0').slice(0, 6));
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Opaque cursors that still round-trip: base64 of the next offset, like Slack's base64 cursors. */
function encodeCursor(offset: number): string {
  return Buffer.from(`next:${offset}`).toString('base64');
}

export function paginate<T>(items: T[], args: Args, defaultLimit: number): { page: T[]; next_cursor: string } {
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

/** Fields WebClient JSON-encodes into form fields; decoded so handlers see structures. */
const JSON_FIELDS = ['blocks', 'attachments', 'view'] as const;

/** Query string plus a form or JSON body; throws SyntaxError for a malformed JSON body. */
export function parseArgs(contentType: string | undefined, rawBody: string, query: URLSearchParams): Args {
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

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : undefined;
}
