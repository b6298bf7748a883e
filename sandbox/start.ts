/**
 * Starts the sandbox: the local Slack workspace on 127.0.0.1 and, pointed at it through its
 * ordinary settings (SLACK_API_URL, the bot token and signing secret), the real app, unchanged:
 * its HTTP receiver with signature verification, its listeners, flows and store (SQLite).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { loadSettings, type Settings } from '../config';
import { type RunningDispatch, startDispatch } from '../server/startDispatch';
import { AppLink } from './appLink';
import { CAST, GENERAL_CHANNEL, INCIDENTS_CHANNEL } from './cast';
import { installPage } from './page/routes';
import { People } from './people';
import { SlackWorkspace, type WorkspaceSnapshot } from './workspace';

export interface SandboxOptions {
  /** Folder for sandbox.db and the workspace's saved state. Default: data/ */
  dataDir?: string;
  /** Start empty: forget the incidents and messages of earlier runs. */
  fresh?: boolean;
  /** The page's port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** The app's log level (warn keeps a terminal readable). */
  logLevel?: string;
}

export interface RunningSandbox {
  url: string;
  workspace: SlackWorkspace;
  people: People;
  app: RunningDispatch;
  settings: Settings;
  stop(): Promise<void>;
}

const APP_ID = 'A0SANDBOX1';
const TEAM_DOMAIN = 'sandbox';

interface ManifestCommands {
  commands: Array<{ command: string; description: string; usage: string }>;
  shortcuts: Array<{ name: string; callbackId: string }>;
}

/** Slash commands and message shortcuts from the app's manifest (what Slack would offer). */
function readManifest(settings: Settings): ManifestCommands {
  const manifest = YAML.parse(readFileSync(resolve(__dirname, '..', 'manifest.yml'), 'utf8')) as {
    features?: {
      slash_commands?: Array<{ command: string; description?: string; usage_hint?: string }>;
      shortcuts?: Array<{ name: string; callback_id: string; type: string }>;
    };
  };
  const commands = (manifest.features?.slash_commands ?? []).map((c) => ({
    command: c.command,
    description: c.description ?? '',
    usage: c.usage_hint ?? '',
  }));
  // The manifest is rendered for the default slugs; the sandbox runs with them, so they match.
  const known = new Set(Object.values(settings.commands));
  return {
    commands: commands.filter((c) => known.has(c.command)),
    shortcuts: (manifest.features?.shortcuts ?? [])
      .filter((s) => s.type === 'message')
      .map((s) => ({ name: s.name, callbackId: s.callback_id })),
  };
}

function seed(workspace: SlackWorkspace): void {
  for (const person of CAST) workspace.addUser(person);
  const everyone = [workspace.botUserId, ...CAST.map((p) => p.id)];
  for (const channel of [GENERAL_CHANNEL, INCIDENTS_CHANNEL]) {
    workspace.addChannel({ ...channel, members: new Set(everyone) });
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const dataDir = resolve(options.dataDir ?? 'data');
  const databasePath = join(dataDir, 'sandbox.db');
  const statePath = join(dataDir, 'sandbox-workspace.json');
  if (options.fresh) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
    rmSync(statePath, { force: true });
  }
  mkdirSync(dataDir, { recursive: true });

  const botToken = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const workspace = await SlackWorkspace.start({
    port: options.port ?? 0,
    strictUsers: true,
    appId: APP_ID,
    botToken,
    teamDomain: TEAM_DOMAIN,
  });
  if (existsSync(statePath)) {
    workspace.restore(JSON.parse(readFileSync(statePath, 'utf8')) as WorkspaceSnapshot);
  } else {
    seed(workspace);
  }

  const settings = loadSettings({
    SLACK_APP_USER_SLUG: APP_ID,
    SLACK_WORKSPACE_NAME: TEAM_DOMAIN,
    SLACK_API_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: workspace.apiUrl,
    SLACK_INCIDENT_NOTIFICATION_CHANNELS: INCIDENTS_CHANNEL.id,
    DATABASE_URL: `sqlite:${databasePath}`,
    PORT: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
    LOG_FORMAT: 'pretty',
  });
  let app: RunningDispatch;
  try {
    app = await startDispatch({ settings });
  } catch (error) {
    await workspace.stop();
    throw error;
  }
  const link = new AppLink(`http://127.0.0.1:${app.port}`, signingSecret, { id: workspace.teamId, domain: TEAM_DOMAIN, appId: APP_ID });
  const people = new People(workspace, link, settings.slack.timelineReaction);

  // Slack tells the app when its invites and kicks change a channel: in order, one at a time.
  let memberEvents = Promise.resolve();
  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    mkdirSync(dirname(statePath), { recursive: true });
    writeFileSync(statePath, JSON.stringify(workspace.snapshot()));
  };
  workspace.onChange((change) => {
    if (change.kind === 'member') {
      const channel = workspace.channels.get(change.channel);
      if (channel) memberEvents = memberEvents.then(() => people.memberEvent(change.user, channel, change.joined, change.inviter));
    }
    saveTimer ??= setTimeout(() => {
      saveTimer = undefined;
      save();
    }, 500);
  });

  const manifest = readManifest(settings);
  installPage(workspace, people, {
    people: CAST.map((p) => ({ id: p.id, name: p.real_name ?? p.name, title: p.title ?? '' })),
    commands: manifest.commands,
    shortcuts: manifest.shortcuts,
    workspaceName: 'Acme',
  });

  let stopping: Promise<void> | undefined;
  return {
    url: workspace.baseUrl,
    workspace,
    people,
    app,
    settings,
    stop() {
      stopping ??= (async () => {
        if (saveTimer) clearTimeout(saveTimer);
        await memberEvents;
        await app.stop();
        save();
        await workspace.stop();
      })();
      return stopping;
    },
  };
}
