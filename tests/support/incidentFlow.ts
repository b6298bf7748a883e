import type { Incident } from '../../incidents/model';
import type { RecordedCall } from './fakeSlack';
import { type Answers, viewSubmission } from './payloads';
import type { HttpAnswer, TestApp } from './testApp';

export const REPORTER = 'U0REPORTER';
export const COMMANDER = 'U0COMMAND1';

/** The `view` argument of the latest views.open call: the modal a person now sees. */
export function openedView(app: TestApp, predicate?: (call: RecordedCall) => boolean): Record<string, unknown> {
  const calls = app.fake.callsTo('views.open').filter((call) => call.response.ok === true && (!predicate || predicate(call)));
  const call = calls[calls.length - 1];
  if (!call) throw new Error(`no modal was opened; calls: ${app.fake.calls.map((c) => c.method).join(', ')}`);
  return call.args.view as Record<string, unknown>;
}

/** Submits the modal the app opened last, answered like a person would. */
export async function submitOpenedView(app: TestApp, answers: Answers, userId: string): Promise<HttpAnswer> {
  const answer = await app.interact(viewSubmission(openedView(app), answers, userId));
  await app.settle();
  return answer;
}

/** Reports an incident the way a responder does: command, modal, submit. Returns it once set up. */
export async function reportIncident(
  app: TestApp,
  options: { title?: string; answers?: Answers; reporter?: string; channelId?: string } = {},
): Promise<Incident> {
  const reporter = options.reporter ?? REPORTER;
  const before = await app.deps.store.incidents.listRecent(1);
  const command = await app.command(app.settings.commands.reportIncident, {
    text: options.title ?? 'Checkout is failing',
    user_id: reporter,
    channel_id: options.channelId ?? 'C0GENERAL1',
  });
  if (command.status !== 200) throw new Error(`report command answered ${command.status}`);
  await app.settle();
  const submitted = await submitOpenedView(
    app,
    { description: 'Customers see HTTP 500 on checkout since 09:12.', priority: 'High', ...options.answers },
    reporter,
  );
  if (submitted.text) throw new Error(`the report form was refused: ${submitted.text}`);
  const [latest] = await app.deps.store.incidents.listRecent(1);
  if (!latest || latest.id === before[0]?.id) throw new Error('no incident was recorded');
  return latest;
}

/** Text of a message's blocks, for asserting on what a person reads. */
export function blockText(message: { text?: unknown; blocks?: unknown } | Record<string, unknown>): string {
  return JSON.stringify((message as { blocks?: unknown }).blocks ?? []) + String((message as { text?: unknown }).text ?? '');
}
