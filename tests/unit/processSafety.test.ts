import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs a script in a fresh Node process (jest keeps rejections of its own), returning its output. */
function runScript(source: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', source], { cwd: root, encoding: 'utf8', timeout: 20_000 });
}

describe('the process safety net', () => {
  test('an unhandled rejection is logged once, with the request it belongs to, and the process keeps running', () => {
    const result = runScript(`
      const { createLogger } = require('./logging/logger');
      const { runWithRequestContext } = require('./logging/context');
      const { installProcessSafetyNet } = require('./server/processSafety');
      const logger = createLogger({ level: 'info', format: 'json', secrets: ['xoxb-secret-token'] });
      installProcessSafetyNet(logger);
      runWithRequestContext({ kind: 'command', command: '/dispatch-mark-stable', user: 'U0ALICE001' }, async () => {
        await null;
        throw new Error('a bug below a listener (token xoxb-secret-token)');
      });
      setTimeout(() => { process.stdout.write('still serving\\n'); }, 100);
    `);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('{'));
    const errors = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'unhandled promise rejection; the app keeps serving',
      command: '/dispatch-mark-stable',
      user: 'U0ALICE001',
    });
    expect(String(errors[0]?.error)).toContain('a bug below a listener');
    expect(result.stdout).not.toContain('xoxb-secret-token');
    expect(result.stdout).toContain('still serving');
  });

  test('an uncaught exception is logged, then the process exits 1 to be restarted', () => {
    const result = runScript(`
      const { createLogger } = require('./logging/logger');
      const { installProcessSafetyNet } = require('./server/processSafety');
      installProcessSafetyNet(createLogger({ level: 'info', format: 'json', secrets: [] }));
      setTimeout(() => { throw new Error('state unknown'); }, 10);
      setTimeout(() => process.stdout.write('should not get here\\n'), 2000);
    `);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('uncaught exception; stopping so the process can be restarted');
    expect(result.stdout).not.toContain('should not get here');
  });
});
