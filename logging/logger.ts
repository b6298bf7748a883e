import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import winston from 'winston';
import { currentRequestContext } from './context';

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

function redactText(text: string, secrets: string[]): string {
  let result = text.replace(TOKEN_PATTERN, REDACTED);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

function redactValue(value: unknown, secrets: string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than this is not walked, so it is not written either: it could hold a secret.
  if (depth > 6) return '[too deeply nested to log]';
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, secrets), stack: value.stack && redactText(value.stack, secrets) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, secrets, depth + 1);
  return copy;
}

/** Adds the request's command or event, user, channel and incident to each line. */
const withRequestContext = winston.format((info) => {
  const context = currentRequestContext();
  if (context) {
    for (const [key, value] of Object.entries(context)) {
      if (value !== undefined && info[key] === undefined) info[key] = value;
    }
  }
  return info;
});

function redaction(secrets: string[]) {
  return winston.format((info) => {
    for (const key of Object.keys(info)) {
      info[key] = redactValue(info[key], secrets);
    }
    if (typeof info.message === 'string') info.message = redactText(info.message, secrets);
    return info;
  })();
}

/** Where winston's transports read the finished line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

const bigintAsString = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/**
 * One JSON line per entry. winston's json format configures its stringifier anew for every line
 * and sorts the keys; plain JSON.stringify costs a fraction of that (a line per Slack request at
 * info). A value JSON cannot write (a cycle) goes to winston's own, which can.
 */
function jsonLine(): winston.Logform.Format {
  const safe = winston.format.json();
  return winston.format((info) => {
    try {
      (info as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(info, bigintAsString);
      return info;
    } catch {
      return safe.transform(info, {});
    }
  })();
}

export function createLogger(options: LoggerOptions): AppLogger {
  // Short values would redact ordinary words; real secrets are long.
  const secrets = options.secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  const shared = [winston.format.errors({ stack: true }), withRequestContext(), redaction(secrets), winston.format.timestamp()];
  const format =
    options.format === 'pretty'
      ? winston.format.combine(
          ...shared,
          winston.format.colorize(),
          winston.format.printf(({ timestamp, level, message, ...rest }) => {
            const details = Object.entries(rest)
              .filter(([key]) => typeof key === 'string' && key !== 'stack')
              .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
              .join(' ');
            const stack = typeof rest.stack === 'string' ? `\n${rest.stack}` : '';
            return `${String(timestamp)} ${level} ${String(message)}${details ? ` ${details}` : ''}${stack}`;
          }),
        )
      : winston.format.combine(...shared, jsonLine());
  const transport = options.stream ? new winston.transports.Stream({ stream: options.stream }) : new winston.transports.Console();
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
