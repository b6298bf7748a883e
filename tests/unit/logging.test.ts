import { PassThrough } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { addToRequestContext, currentRequestContext, runWithRequestContext } from '../../logging/context';
import { type AppLogger, createLogger, type LoggerOptions, toBoltLogger } from '../../logging/logger';

const SIGNING_SECRET = 'f00dfacef00dfacef00dface12345678';
const BOT_TOKEN = 'xoxb-111-222-configuredbottoken';

/** A logger writing into memory; `lines` are the raw lines, `records` the parsed JSON ones. */
function capture(options: Partial<LoggerOptions> = {}) {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', format: 'json', secrets: [BOT_TOKEN, SIGNING_SECRET], stream, ...options });
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Winston writes through streams: wait for the lines to arrive. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('createLogger', () => {
  test('writes one JSON object a line, with level, message, timestamp and metadata', async () => {
    const { logger, lines, records } = capture();
    logger.info('dispatch for slack is running', { port: 3000, database: 'sqlite' });
    logger.warn('slack call failed', { method: 'chat.postMessage' });
    await flushed();
    expect(lines).toHaveLength(2);
    const [first, second] = records();
    expect(first).toMatchObject({ level: 'info', message: 'dispatch for slack is running', port: 3000, database: 'sqlite' });
    expect(new Date(String(first.timestamp)).toString()).not.toBe('Invalid Date');
    expect(second).toMatchObject({ level: 'warn', message: 'slack call failed', method: 'chat.postMessage' });
  });

  test('a value plain JSON cannot write (a cycle, a bigint) still makes one line', async () => {
    const { logger, records } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.info('with a cycle', { cyclic });
    logger.info('with a bigint', { rows: 12n });
    await flushed();
    const [withCycle, withBigint] = records();
    expect(withCycle).toMatchObject({ message: 'with a cycle', cyclic: { name: 'loop', self: { name: 'loop' } } });
    expect(withBigint).toMatchObject({ message: 'with a bigint', rows: '12' });
  });

  test('respects the level', async () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.debug('noise');
    logger.info('still noise');
    logger.warn('worth reading');
    await flushed();
    expect(records().map((record) => record.message)).toEqual(['worth reading']);
  });

  test('LOG_FORMAT pretty writes readable text, not JSON', async () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.info('slack request handled', { durationMs: 12, command: '/dispatch-mark-stable' });
    await flushed();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(() => JSON.parse(line)).toThrow();
    // Without the terminal colours: "TIME info message key=value ..."
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z info slack request handled durationMs=12 command=\/dispatch-mark-stable$/);
  });

  test('pretty format puts an error stack on the lines after the message', async () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.error('request failed', { stack: 'Error: boom\n    at somewhere (file.ts:1:1)' });
    await flushed();
    expect(lines[0]).toContain('request failed');
    expect(lines[1]).toBe('Error: boom');
  });

  describe('secrets never appear', () => {
    test('Slack tokens of any kind are redacted from messages', async () => {
      const { logger, lines } = capture();
      logger.info('pasted xoxb-999-888-notours and xapp-1-A0-123-abc and xoxp-42-user');
      await flushed();
      expect(lines[0]).not.toMatch(/xoxb-|xapp-|xoxp-/);
      expect(lines[0]).toContain('[REDACTED]');
    });

    test('the configured secrets are redacted from messages and metadata', async () => {
      const { logger, lines, records } = capture();
      logger.info(`secret is ${SIGNING_SECRET}`, { header: `v0:${SIGNING_SECRET}`, token: BOT_TOKEN });
      await flushed();
      expect(lines[0]).not.toContain(SIGNING_SECRET);
      expect(lines[0]).not.toContain('configuredbottoken');
      expect(records()[0]).toMatchObject({ message: 'secret is [REDACTED]', header: 'v0:[REDACTED]', token: '[REDACTED]' });
    });

    test('secrets in nested objects, arrays and Error messages are redacted', async () => {
      const { logger, lines, records } = capture();
      const failure = new Error(`Slack refused ${BOT_TOKEN}`);
      logger.warn('call failed', {
        request: { headers: { authorization: `Bearer ${BOT_TOKEN}` }, attempts: [{ secret: SIGNING_SECRET }] },
        error: failure,
      });
      logger.error(new Error(`cannot verify with ${SIGNING_SECRET}`));
      await flushed();
      for (const line of lines) {
        expect(line).not.toContain(SIGNING_SECRET);
        expect(line).not.toContain('configuredbottoken');
      }
      const [first, second] = records();
      expect(first.request).toEqual({ headers: { authorization: 'Bearer [REDACTED]' }, attempts: [{ secret: '[REDACTED]' }] });
      expect(first.error).toMatchObject({ name: 'Error', message: 'Slack refused [REDACTED]' });
      expect(second.message).toBe('cannot verify with [REDACTED]');
      expect(String(second.stack)).toContain('cannot verify with [REDACTED]');
    });

    test('a secret nested deeper than the redaction walks still does not appear', async () => {
      const { logger, lines } = capture();
      let deep: Record<string, unknown> = { token: BOT_TOKEN, secret: SIGNING_SECRET };
      for (let level = 0; level < 12; level += 1) deep = { deeper: deep };
      logger.info('deep', { deep });
      await flushed();
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('configuredbottoken');
      expect(lines[0]).not.toContain(SIGNING_SECRET);
    });

    test('short values are not treated as secrets (they would redact ordinary words)', async () => {
      const { logger, records } = capture({ secrets: ['abc', null, undefined, SIGNING_SECRET] });
      logger.info('abc stays');
      await flushed();
      expect(records()[0].message).toBe('abc stays');
    });
  });

  describe('request context', () => {
    test('every line inside runWithRequestContext carries the command, user, channel and incident', async () => {
      const { logger, records } = capture();
      logger.info('before');
      await runWithRequestContext(
        { kind: 'command', command: '/dispatch-mark-stable', user: 'U0ALICE01', channel: 'C0INC00042' },
        async () => {
          logger.info('first');
          await Promise.resolve();
          addToRequestContext({ incident: 'dispatch-42' });
          logger.info('second', { user: 'U0EXPLICIT' });
          await new Promise((resolve) => setTimeout(resolve, 1));
          logger.warn('third, after a timer');
        },
      );
      logger.info('after');
      await flushed();
      const byMessage = Object.fromEntries(records().map((record) => [record.message, record]));
      expect(byMessage.before).not.toHaveProperty('command');
      expect(byMessage.first).toMatchObject({
        command: '/dispatch-mark-stable',
        user: 'U0ALICE01',
        channel: 'C0INC00042',
        kind: 'command',
      });
      expect(byMessage.first).not.toHaveProperty('incident');
      // Explicit metadata wins over the context.
      expect(byMessage.second).toMatchObject({ incident: 'dispatch-42', user: 'U0EXPLICIT', channel: 'C0INC00042' });
      expect(byMessage['third, after a timer']).toMatchObject({ command: '/dispatch-mark-stable', incident: 'dispatch-42' });
      expect(byMessage.after).not.toHaveProperty('command');
      expect(byMessage.after).not.toHaveProperty('incident');
    });

    test('concurrent requests keep their own context', async () => {
      const { logger, records } = capture();
      const request = (user: string, delay: number) =>
        runWithRequestContext({ kind: 'event', eventType: 'member_joined_channel', user }, async () => {
          await new Promise((resolve) => setTimeout(resolve, delay));
          logger.info(`handled ${user}`);
        });
      await Promise.all([request('U0FIRST01', 10), request('U0SECOND1', 1)]);
      await flushed();
      const users = Object.fromEntries(records().map((record) => [record.message, record.user]));
      expect(users).toEqual({ 'handled U0FIRST01': 'U0FIRST01', 'handled U0SECOND1': 'U0SECOND1' });
    });

    test('addToRequestContext outside a request does nothing', () => {
      addToRequestContext({ incident: 'dispatch-1' });
      expect(currentRequestContext()).toBeUndefined();
    });
  });
});

describe('toBoltLogger', () => {
  let logger: AppLogger;
  let records: () => Record<string, unknown>[];
  beforeEach(() => {
    const captured = capture({ level: 'info' });
    logger = captured.logger;
    records = captured.records;
  });

  test('maps Bolt levels onto winston levels and joins the arguments', async () => {
    const bolt = toBoltLogger(logger, 'bolt');
    bolt.error('an error', new Error('went wrong'));
    bolt.warn('a warning', { code: 7 });
    bolt.info('some', 'info');
    bolt.debug('hidden at info');
    await flushed();
    expect(records().map(({ level, message, source }) => ({ level, message, source }))).toEqual([
      { level: 'error', message: 'an error went wrong', source: 'bolt' },
      { level: 'warn', message: 'a warning {"code":7}', source: 'bolt' },
      { level: 'info', message: 'some info', source: 'bolt' },
    ]);
  });

  test('getLevel reports the app level; setLevel cannot override LOG_LEVEL', async () => {
    const bolt = toBoltLogger(logger);
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('still hidden');
    bolt.setLevel(LogLevel.ERROR);
    bolt.info('still shown');
    await flushed();
    expect(records().map((record) => record.message)).toEqual(['still shown']);
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    const debugBolt = toBoltLogger(capture({ level: 'debug' }).logger);
    expect(debugBolt.getLevel()).toBe(LogLevel.DEBUG);
  });

  test('setName only changes the source field', async () => {
    const bolt = toBoltLogger(logger, 'bolt');
    bolt.setName('web-api:WebClient');
    bolt.info('renamed');
    await flushed();
    expect(records()[0]).toMatchObject({ message: 'renamed', source: 'web-api:WebClient', level: 'info' });
  });

  test('what Bolt logs is redacted too', async () => {
    const bolt = toBoltLogger(logger);
    bolt.error('request with', { token: BOT_TOKEN }, `secret ${SIGNING_SECRET}`);
    await flushed();
    const line = JSON.stringify(records()[0]);
    expect(line).not.toContain('configuredbottoken');
    expect(line).not.toContain(SIGNING_SECRET);
  });
});

describe('lines below the active level cost nothing', () => {
  /** Metadata that counts how often anything reads it: redaction and JSON both would. */
  function watchedMeta() {
    const reads = { count: 0 };
    const meta = {
      get detail() {
        reads.count += 1;
        return 'expensive';
      },
    };
    return { meta, reads };
  }

  test('a hidden level is dropped before formats run, whichever method logs it', async () => {
    const { logger, lines } = capture({ level: 'info' });
    const { meta, reads } = watchedMeta();
    logger.debug('hidden', meta);
    logger.log('debug', 'hidden too', meta);
    logger.child({ part: 'child' }).debug('hidden in a child', meta);
    toBoltLogger(logger).debug('hidden from Bolt', meta);
    await flushed();
    expect(lines).toEqual([]);
    expect(reads.count).toBe(0);
  });

  test('a shown level still goes through redaction, and changing the level at run time is obeyed', async () => {
    const { logger, records } = capture({ level: 'info' });
    const { meta, reads } = watchedMeta();
    logger.info('shown', meta);
    logger.level = 'debug';
    logger.debug('shown now', { token: BOT_TOKEN });
    await flushed();
    expect(reads.count).toBeGreaterThan(0);
    expect(records().map((record) => record.message)).toEqual(['shown', 'shown now']);
    expect(JSON.stringify(records())).not.toContain('configuredbottoken');
  });
});
