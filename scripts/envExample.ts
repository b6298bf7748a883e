import { writeFileSync } from 'node:fs';
import { settingsSchema } from '../config/schema';

/**
 * Writes .env.example from the convict schema: every setting, its doc as a one-line comment,
 * the four required ones set to placeholders, the rest commented out at their defaults.
 *
 *   npx tsx scripts/envExample.ts --out .env.example
 */
type Leaf = { doc: string; default: unknown; env: string; format?: unknown; sensitive?: boolean };
const REQUIRED: Record<string, string> = {
  SLACK_APP_USER_SLUG: 'A0123456789',
  SLACK_WORKSPACE_NAME: 'acme',
  SLACK_API_BOT_TOKEN: 'xoxb-...',
  SLACK_SIGNING_SECRET: '...',
};
const TITLES: Record<string, string> = {
  slack: 'Slack',
  commands: 'Slash commands (each also accepted with or without _SLUG)',
  incident: 'Incidents',
  oncall: 'On-call',
  server: 'Server',
  work: 'Background work',
  database: 'Database',
  log: 'Logging',
  webhooks: 'Outbound webhooks',
};

function duration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function shown(leaf: Leaf): string {
  const value = leaf.default;
  if (value === null || value === undefined || value === '') return '';
  if (leaf.format === 'duration' && typeof value === 'number') return duration(value);
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, number>)
      .map(([key, ms]) => `${key}=${duration(ms)}`)
      .join(',');
  }
  return String(value);
}

function isLeaf(node: unknown): node is Leaf {
  return typeof node === 'object' && node !== null && 'env' in node && 'default' in node;
}

export function envExampleText(): string {
  const lines = [
    '# Dispatch for Slack: every setting, with its default. Copy to .env and fill in the four required ones;',
    '# a commented-out line shows the default. Variables already set in the environment win over .env.',
    '# Secrets (tokens, signing secrets) never reach a log. See README.md, "Configuration".',
  ];
  for (const [group, leaves] of Object.entries(settingsSchema)) {
    lines.push('', `# --- ${TITLES[group] ?? group} ---`);
    for (const leaf of Object.values(leaves as Record<string, unknown>).filter(isLeaf)) {
      const required = leaf.env in REQUIRED;
      lines.push(`# ${leaf.doc.replace(/\s+/g, ' ').trim()}${required ? ' Required.' : ''}${leaf.sensitive ? ' Secret.' : ''}`);
      lines.push(required ? `${leaf.env}=${REQUIRED[leaf.env]}` : `# ${leaf.env}=${shown(leaf)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const out = process.argv[process.argv.indexOf('--out') + 1];
  if (process.argv.includes('--out') && out) writeFileSync(out, envExampleText());
  else process.stdout.write(envExampleText());
}
