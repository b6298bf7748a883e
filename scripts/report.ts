/**
 * Exports the metrics the Home tab shows, for every incident (restricted ones included: this is
 * an admin's tool with the database's credentials):
 *   npm run --silent report -- --since 2026-01-01 [--until 2026-04-01] --format csv|json > report.csv
 */
import { loadDotEnv, loadSettings, SettingsError } from '../config';
import { systemClock } from '../incidents/clock';
import { MetricsService, recentWeeks } from '../incidents/metrics';
import { metricsCsv, metricsJson } from '../reports/export';
import { Store } from '../store';

const USAGE = 'usage: npm run --silent report -- [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--format csv|json]';

function day(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime())) throw new Error(`${flag} takes a day such as 2026-01-01`);
  return date;
}

function parse(argv: string[]): { since: Date; until: Date; format: 'csv' | 'json' } {
  const options = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (!['--since', '--until', '--format'].includes(flag) || value === undefined) throw new Error(USAGE);
    options.set(flag, value);
  }
  const format = options.get('--format') ?? 'json';
  if (format !== 'csv' && format !== 'json') throw new Error('--format is csv or json');
  const until = day(options.get('--until'), '--until') ?? systemClock.now();
  const since = day(options.get('--since'), '--since') ?? recentWeeks(until, 12).since;
  if (since >= until) throw new Error('--since must be before --until');
  return { since, until, format };
}

async function main(): Promise<void> {
  loadDotEnv();
  const { since, until, format } = parse(process.argv.slice(2));
  const settings = loadSettings();
  const store = await Store.open(settings.database.url);
  try {
    const metrics = await new MetricsService(store.metrics, systemClock, settings.incident).forPeriod(
      { kind: 'everyone' },
      { since, until },
    );
    process.stdout.write(format === 'csv' ? metricsCsv(metrics) : metricsJson(metrics));
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof SettingsError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
