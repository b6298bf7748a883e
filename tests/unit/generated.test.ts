import { readFileSync } from 'node:fs';
import { COMMAND_LISTENERS } from '../../listeners/commands';
import type { SlashCommandListener } from '../../listeners/types';
import { commandList, commandSettingsSource, GENERATED_FILES, generatedTexts, readmeText } from '../../scripts/generate';

/** What follows from the command registry is committed, and current. */
describe('files generated from the slash command registry', () => {
  const texts = generatedTexts();
  test.each(Object.keys(GENERATED_FILES) as Array<keyof typeof GENERATED_FILES>)('%s is up to date', (name) => {
    const path = GENERATED_FILES[name];
    const committed = readFileSync(path, 'utf8');
    // One message that says how to fix it, rather than a diff of the whole file.
    if (committed !== texts[name]) throw new Error(`${path} is out of date: run \`npm run generate\` and commit the result`);
  });

  test('a command added to the registry appears in the schema table, the README tables and keeps the rest', () => {
    const extra: SlashCommandListener = {
      setting: 'listTasks',
      slug: { env: 'SLACK_COMMAND_PING_SLUG', default: '/dispatch-ping', doc: 'Answers pong.' },
      description: 'Check that Dispatch answers',
      handle: async () => undefined,
    };
    const listeners = [...COMMAND_LISTENERS, extra];
    expect(commandSettingsSource(listeners)).toContain("listTasks: ['SLACK_COMMAND_PING_SLUG', '/dispatch-ping', 'Answers pong.'],");
    expect(commandList(listeners)).toMatch(/\| `\/dispatch-ping` +\| Check that Dispatch answers\. +\|/);
    const readme = readmeText(readFileSync(GENERATED_FILES.readme, 'utf8'), listeners);
    expect(readme).toMatch(/\| `SLACK_COMMAND_PING_SLUG` \(or `SLACK_COMMAND_PING`\) +\| `\/dispatch-ping` +\| Answers pong\. +\|/);
    expect(readme).toContain('## Quick start');
  });
});
