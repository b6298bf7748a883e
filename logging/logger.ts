import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import winston from 'winston';
import { currentRequestContext } from './context';
import { TurnBufferedStream } from './turnBufferedStream';

export type AppLogger = winston.Logger;

export interface LoggerOptions {
  level: 'error' | 'warn' | 'info' | 'debug';
  format: 'json' | 'pretty';
  /** Values that must never be written: tokens and the signing secret. */
  secrets: ReadonlyArray<string | null | undefined>;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
}

// Token shapes Slack issues; redacted even when they are not ours (a pasted token in an error).
const TOKEN_PATTERN = /\bx(?:ox[abprse]|app)-[A-Za-z0-9-]+/g;
const REDACTED = '[REDACTED]';

function redactText(text: string, secrets: readonly string[]): string {
  let result = text.replace(TOKEN_PATTERN, REDACTED);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * The forms a secret can take in a line: as it is, and as JSON writes it inside a string (a
 * quote or a backslash in it is escaped there).
 */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...forms];
}

/** An Error as JSON shows it: name, message and stack (JSON.stringify alone writes `{}`). */
function errorFields(error: Error) {
  return { name: error.name, message: error.message, stack: error.stack };
}

/** Errors written with their fields, bigints as decimal strings. */
const jsonValue = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value instanceof Error ? errorFields(value) : value;

/**
 * A copy JSON can write: a cycle is cut where it repeats (each level copied, at most 6 deep,
 * below that a marker), Errors as their fields. Only for the rare value plain JSON refuses.
 */
function acyclicCopy(value: unknown, depth = 0): unknown {
  const plain = jsonValue('', value);
  if (plain === null || typeof plain !== 'object') return plain;
  if (depth > 6) return '[too deeply nested to log]';
  if (Array.isArray(plain)) return plain.map((item) => acyclicCopy(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(plain)) copy[key] = acyclicCopy(item, depth + 1);
  return copy;
}

/** Adds the request's command or event, user, channel and incident to an entry (its own fields win). */
function addRequestContext(info: Record<string, unknown>): void {
  const context = currentRequestContext();
  if (!context) return;
  for (const key in context) {
    const value = context[key as keyof typeof context];
    if (value !== undefined && info[key] === undefined) info[key] = value;
  }
}

/** Where winston's transports read the finished line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

/**
 * The JSON line of an entry, built in one pass: the request context and a timestamp added,
 * serialized once, and the secrets redacted from the finished text, whatever field or depth
 * they were in. (Formats chained one after another each walked or copied the entry again: at a
 * line per Slack request at info, that was a tenth of a cached command's CPU.)
 */
function jsonLine(secrets: readonly string[]): winston.Logform.Format {
  const forms = secretForms(secrets);
  return winston.format((info) => {
    const entry = info as Record<string, unknown>;
    addRequestContext(entry);
    entry.timestamp = new Date().toISOString();
    let line: string;
    try {
      line = JSON.stringify(entry, jsonValue);
    } catch {
      line = JSON.stringify(acyclicCopy(entry));
    }
    (info as Record<symbol, unknown>)[MESSAGE] = redactText(line, forms);
    return info;
  })();
}

/** "TIME level message key=value ...", the stack on the lines after; for a terminal. */
function prettyLine(secrets: readonly string[]): winston.Logform.Format {
  return winston.format.printf((info) => {
    addRequestContext(info);
    const { level, message, ...rest } = info;
    const details = Object.entries(rest)
      .filter(([key]) => key !== 'stack')
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(acyclicCopy(value))}`)
      .join(' ');
    const stack = typeof rest.stack === 'string' ? `\n${rest.stack}` : '';
    const text = typeof message === 'string' ? message : JSON.stringify(acyclicCopy(message));
    return redactText(`${new Date().toISOString()} ${level} ${text}${details ? ` ${details}` : ''}${stack}`, secrets);
  });
}

export function createLogger(options: LoggerOptions): AppLogger {
  // Short values would redact ordinary words; real secrets are long.
  const secrets = options.secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  const format =
    options.format === 'pretty'
      ? winston.format.combine(winston.format.errors({ stack: true }), winston.format.colorize(), prettyLine(secrets))
      : winston.format.combine(winston.format.errors({ stack: true }), jsonLine(secrets));
  // stdout gets the lines of a turn of the event loop in one write (logging/turnBufferedStream.ts).
  const transport = new winston.transports.Stream({ stream: options.stream ?? new TurnBufferedStream(process.stdout) });
  return skipHiddenLevels(winston.createLogger({ level: options.level, format, transports: [transport] }));
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * winston runs every format (request context, redaction, timestamp, JSON) on a line before its
 * transport drops it for being below LOG_LEVEL; on a busy path that is most of the cost of a
 * debug line nobody reads. Here a hidden level returns before anything is built. The level is
 * read on each call, so changing `logger.level` at run time still works, children included.
 */
function skipHiddenLevels(logger: winston.Logger): winston.Logger {
  const log = logger.log;
  logger.log = function guardedLog(this: winston.Logger, ...args: Parameters<winston.LogMethod>) {
    const [level] = args;
    if (typeof level === 'string' && !this.isLevelEnabled(level)) return this;
    return log.apply(this, args);
  } as winston.LogMethod;
  for (const level of LEVELS) {
    const write = logger[level];
    logger[level] = function guardedLevel(this: winston.Logger, ...args: Parameters<winston.LeveledLogMethod>) {
      if (!this.isLevelEnabled(level)) return this;
      return write.apply(this, args);
    } as winston.LeveledLogMethod;
  }
  return logger;
}

const WINSTON_TO_BOLT: Record<string, LogLevel> = {
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
};

function joinMessage(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' ');
}

/**
 * Bolt and web-api log through this. Bolt calls setLevel with its own default during
 * construction; the app's LOG_LEVEL stays in charge, so setLevel only records the request.
 */
export function toBoltLogger(logger: AppLogger, name = 'bolt'): BoltLogger {
  let source = name;
  const write = (level: string, parts: unknown[]) => {
    // Bolt and web-api log a debug line or more per request; joining it is wasted when hidden.
    if (logger.isLevelEnabled(level)) logger.log(level, joinMessage(parts), { source });
  };
  return {
    debug: (...parts: unknown[]) => write('debug', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    setLevel: () => undefined,
    getLevel: () => WINSTON_TO_BOLT[logger.level] ?? LogLevel.INFO,
    setName: (newName: string) => {
      source = newName;
    },
  };
}
