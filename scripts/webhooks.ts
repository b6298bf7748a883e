import { loadDotEnv, loadSettings, SettingsError } from '../config';
import { displayUrl } from '../config/webhooks';
import { Store } from '../store';
import type { JsonValue, WorkItem } from '../store/workQueue';
import { WEBHOOK_WORK_KIND, type WebhookJob } from '../webhooks/outbox';

/**
 * Failed webhook deliveries, for operators, with the app's settings (.env included):
 *
 *   npm run webhooks -- list-failed [--limit N]
 *   npm run webhooks -- redeliver ID [ID...]
 *
 * A redelivery puts the delivery back in the work queue with the same event id and body and a
 * fresh retry window; a running replica sends it.
 */

const USAGE = 'usage: npm run webhooks -- list-failed [--limit N] | redeliver ID [ID...]';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

function job(payload: JsonValue): Partial<WebhookJob> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Partial<WebhookJob>) : {};
}

function columns(item: WorkItem): string[] {
  const delivery = job(item.payload);
  return [
    String(item.id),
    item.finishedAt?.toISOString() ?? '',
    delivery.eventType ?? '?',
    delivery.eventId ?? '?',
    delivery.incidentId === undefined ? '?' : String(delivery.incidentId),
    delivery.url ? displayUrl(delivery.url) : '?',
    String(item.attempts),
    (item.lastError ?? '').replace(/\s+/g, ' '),
  ];
}

async function listFailed(store: Store, args: string[], output: CliOutput): Promise<number> {
  let limit = 100;
  if (args[0] === '--limit') {
    limit = Number(args[1]);
    if (!Number.isInteger(limit) || limit <= 0) {
      output.err(`--limit needs a positive whole number\n${USAGE}`);
      return 2;
    }
  } else if (args.length > 0) {
    output.err(USAGE);
    return 2;
  }
  const failed = await store.workQueue.listFailed(WEBHOOK_WORK_KIND, limit);
  if (failed.length === 0) {
    output.out('No failed webhook deliveries.');
    return 0;
  }
  output.out(['ID', 'FAILED AT', 'EVENT', 'EVENT ID', 'INCIDENT', 'ENDPOINT', 'ATTEMPTS', 'LAST ERROR'].join('\t'));
  for (const item of failed) output.out(columns(item).join('\t'));
  output.out(
    `${failed.length} failed ${failed.length === 1 ? 'delivery' : 'deliveries'}; send one again with: npm run webhooks -- redeliver ID`,
  );
  return 0;
}

async function redeliver(store: Store, ids: string[], output: CliOutput, now: () => Date): Promise<number> {
  if (ids.length === 0 || ids.some((id) => !/^\d+$/.test(id))) {
    output.err(`redeliver needs the IDs that list-failed shows\n${USAGE}`);
    return 2;
  }
  let problems = 0;
  for (const id of ids.map(Number)) {
    const item = await store.workQueue.get(id);
    if (!item || item.kind !== WEBHOOK_WORK_KIND) {
      output.err(`${id}: no webhook delivery has this ID (see list-failed).`);
      problems += 1;
      continue;
    }
    const delivery = job(item.payload);
    const at = now();
    // The retry window restarts now; the event id and body stay, so receivers still deduplicate.
    const requeued = await store.workQueue.requeue(id, at, { ...delivery, retryWindowStartedAt: at.toISOString() } as JsonValue);
    if (!requeued) {
      output.err(`${id}: not failed (it is ${item.status === 'done' ? 'delivered' : 'still being tried'}); nothing to do.`);
      problems += 1;
      continue;
    }
    output.out(`${id}: ${delivery.eventType} ${delivery.eventId} to ${delivery.url ? displayUrl(delivery.url) : '?'} is queued again.`);
  }
  return problems > 0 ? 1 : 0;
}

/** Runs one command against `store`; returns the exit code. */
export async function runWebhooksCommand(
  store: Store,
  argv: string[],
  output: CliOutput,
  now: () => Date = () => new Date(),
): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'list-failed') return listFailed(store, args, output);
  if (command === 'redeliver') return redeliver(store, args, output, now);
  output.err(USAGE);
  return 2;
}

async function main(): Promise<void> {
  loadDotEnv();
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const store = await Store.open(settings.database.url);
  const output: CliOutput = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  try {
    process.exitCode = await runWebhooksCommand(store, process.argv.slice(2), output);
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
