import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootError } from '../../server/startDispatch';
import { FakeSlack } from '../support/fakeSlack';
import { TestApp } from '../support/testApp';

const REPO = join(__dirname, '../..');

/** Line 4 names a rotation that does not exist; line 7 lists someone who is neither a Slack id nor an email. */
const BROKEN_SCHEDULE = [
  'services:',
  '  - name: Payments API',
  '    users: [U0PAYONE]',
  '    rotation: fortnightly',
  '  - name: Search',
  '    users:',
  '      - bob',
  '    rotation: daily',
].join('\n');

function writeSchedule(text: string): { directory: string; file: string } {
  const directory = mkdtempSync(join(tmpdir(), 'dispatch-boot-'));
  const file = join(directory, 'oncall.yml');
  writeFileSync(file, text);
  return { directory, file };
}

describe('a schedule file with mistakes stops the app at boot', () => {
  test('starting the app fails with a BootError naming the file, each line and its problem, before anything else starts', async () => {
    const { file } = writeSchedule(BROKEN_SCHEDULE);
    const fake = await FakeSlack.start();
    try {
      const starting = TestApp.start({ fake, env: { ONCALL_PROVIDER: 'schedule', ONCALL_SCHEDULE_FILE: file } });
      await expect(starting).rejects.toThrow(BootError);
      await expect(TestApp.start({ fake, env: { ONCALL_PROVIDER: 'schedule', ONCALL_SCHEDULE_FILE: file } })).rejects.toThrow(
        [
          `Dispatch for Slack cannot start: the on-call schedule ${file} (ONCALL_SCHEDULE_FILE) has 2 problems.`,
          '  - line 4: the rotation of "Payments API" must be daily or weekly (it is "fortnightly")',
          '  - line 7: "bob" in the users of "Search" is neither a Slack user id (U...) nor an email',
        ].join('\n'),
      );
      // Refused before Slack was called.
      expect(fake.callsTo('auth.test')).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  test('the real entry point (app.ts) prints the problem and exits with status 1', async () => {
    const { directory, file } = writeSchedule(BROKEN_SCHEDULE);
    const env = {
      PATH: process.env.PATH ?? '',
      SLACK_APP_USER_SLUG: 'A0APPTEST1',
      SLACK_WORKSPACE_NAME: 'acme',
      SLACK_API_BOT_TOKEN: 'xoxb-boot-test-token',
      SLACK_SIGNING_SECRET: 'boot-test-signing-secret-0123456789',
      SLACK_API_URL: 'http://127.0.0.1:9/api/', // never reached: the schedule is read first
      DATABASE_URL: 'sqlite::memory:',
      PORT: '0',
      ONCALL_PROVIDER: 'schedule',
      ONCALL_SCHEDULE_FILE: file,
    };
    // A clean environment and a directory without a .env, so nothing but these settings applies.
    const child = spawn(join(REPO, 'node_modules/.bin/tsx'), [join(REPO, 'app.ts')], {
      cwd: directory,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`the on-call schedule ${file} (ONCALL_SCHEDULE_FILE) has 2 problems.`);
    expect(stderr).toContain('  - line 4: the rotation of "Payments API" must be daily or weekly (it is "fortnightly")');
    expect(stderr).toContain('  - line 7: "bob" in the users of "Search"');
    expect(stderr).not.toMatch(/\n\s+at /); // a message for a person, not a stack trace
    expect(stdout).not.toContain('dispatch for slack is running');
  });
});
