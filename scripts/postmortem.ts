/**
 * Writes an incident's postmortem draft (Markdown) to stdout, from the database:
 *   npm run --silent postmortem -- dispatch-42 > dispatch-42.md
 * Names come from Slack (users.info with the bot token) when it answers; otherwise the draft
 * shows user ids.
 */
import { WebClient } from '@slack/web-api';
import { loadDotEnv, loadSettings, SettingsError } from '../config';
import { buildPostmortem, slackNames } from '../flows/postmortem';
import { systemClock } from '../incidents/clock';
import { IncidentRecords } from '../incidents/record';
import { SlackGateway } from '../slack/gateway';
import { WorkspaceLinks } from '../slack/links';
import { UserDirectory } from '../slack/userDirectory';
import { Store } from '../store';

async function main(): Promise<void> {
  loadDotEnv();
  const [name, ...rest] = process.argv.slice(2);
  if (!name || rest.length > 0) throw new Error('usage: npm run --silent postmortem -- INCIDENT-NAME (e.g. dispatch-42)');
  const settings = loadSettings();
  const store = await Store.open(settings.database.url);
  try {
    const records = new IncidentRecords(store);
    const incident = await records.findByName(name);
    if (!incident) throw new Error(`There is no incident named ${name}.`);
    // One quick try per person: a CLI should not hang on Slack; unknown names stay ids.
    const client = new WebClient(settings.slack.botToken, {
      slackApiUrl: settings.slack.apiUrl,
      retryConfig: { retries: 0 },
      timeout: 5_000,
    });
    const users = new UserDirectory(new SlackGateway(client, { userIdOverride: null }), settings.slack.userCacheTtlMs, systemClock);
    const links = new WorkspaceLinks(settings.slack.workspaceName);
    const markdown = await buildPostmortem(records, incident, {
      nameOf: slackNames(users),
      channelUrl: incident.channelId ? links.channel(incident.channelId) : null,
    });
    process.stdout.write(markdown);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof SettingsError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
