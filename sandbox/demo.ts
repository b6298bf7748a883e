/**
 * `npm run sandbox -- --demo`: a short incident played by the cast through the same actions a
 * person takes on the page (report, people join, a role, a status report, a task, a timeline
 * reaction, stable, closed), so a visitor watches the whole flow in under a minute.
 *
 * Forms are filled by what their labels ask for, not by block ids, so the demo keeps working
 * when the app's layouts change.
 */
import { CAST, GENERAL_CHANNEL } from './cast';
import type { EnteredValues, People } from './people';
import type { FakeView, SlackWorkspace } from './workspace';

type Json = Record<string, unknown>;

const [ALEX, PRIYA, SAM, MEI] = CAST.map((p) => p.id);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function words(value: unknown): string {
  return isRecord(value) && typeof value.text === 'string' ? value.text : '';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`demo: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** Fills every input of a modal from `answers` (label keyword -> text or option), else sensibly. */
export function fillForm(view: FakeView, answers: Array<[RegExp, string]>): EnteredValues {
  const values: EnteredValues = {};
  for (const block of Array.isArray(view.view.blocks) ? view.view.blocks : []) {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) continue;
    const element = block.element;
    const blockId = String(block.block_id ?? '');
    const actionId = String(element.action_id ?? '');
    const label = words(block.label);
    const answer = answers.find(([pattern]) => pattern.test(label))?.[1];
    const options = (Array.isArray(element.options) ? element.options : []).filter(isRecord);
    const type = String(element.type);
    let value: EnteredValues[string][string] | undefined;
    if (type.includes('users_select')) value = [answer ?? ALEX];
    else if (options.length > 0) {
      const wanted =
        options.find((o) => answer !== undefined && new RegExp(answer, 'i').test(words(o.text))) ??
        (isRecord(element.initial_option) ? element.initial_option : options[0]);
      value = [{ value: String(wanted.value), text: words(wanted.text) }];
    } else if (type === 'plain_text_input') value = answer ?? (block.optional === true ? '' : label);
    if (value !== undefined) values[blockId] = { ...(values[blockId] ?? {}), [actionId]: value };
  }
  return values;
}

async function submitTopModal(
  people: People,
  user: string,
  answers: Array<[RegExp, string]>,
  pause: (ms: number) => Promise<unknown>,
): Promise<void> {
  const view = await until('a form to open', () => people.modals(user).at(-1));
  await pause(1500);
  await people.submit(user, view.id, fillForm(view, answers));
  await until('the form to close', () => (people.modals(user).some((m) => m.id === view.id) ? undefined : true));
}

function newestIncidentChannel(workspace: SlackWorkspace, known: Set<string>): string | undefined {
  return [...workspace.channels.values()].find((c) => !c.is_im && !known.has(c.id) && c.name !== 'general' && c.name !== 'incidents')?.id;
}

export interface DemoOptions {
  /** Prints each step as it starts. */
  say?: (line: string) => void;
  /** Scales the pauses between steps (1: a visitor can follow; tests play it faster). */
  pace?: number;
}

export async function playDemo(people: People, options: DemoOptions = {}): Promise<void> {
  const { workspace } = people;
  const say = options.say ?? (() => {});
  const pause = (ms: number) => sleep(ms * (options.pace ?? 1));
  const known = new Set(workspace.channels.keys());
  say('Alex notices checkout errors and says so in #general');
  await people.postMessage(ALEX, GENERAL_CHANNEL.id, 'Checkout is returning 500s for some customers :rotating_light:');
  await pause(2000);

  say('Alex reports an incident with /dispatch-report-incident');
  await people.runCommand(ALEX, GENERAL_CHANNEL.id, '/dispatch-report-incident', 'Checkout failing');
  await submitTopModal(
    people,
    ALEX,
    [
      [/title/i, 'Checkout returns 500s'],
      [/description/i, 'Since 14:05 about 12% of checkout requests fail with HTTP 500.'],
      [/priority/i, 'High'],
    ],
    pause,
  );
  const channel = await until('the incident channel', () => newestIncidentChannel(workspace, known));
  await pause(2500);

  say('Priya and Sam are added to the incident channel');
  for (const person of [PRIYA, SAM]) {
    const incident = workspace.channels.get(channel);
    if (incident && !incident.members.has(person)) {
      incident.members.add(person);
      workspace.changed({ kind: 'channels' });
      await people.memberEvent(person, incident, true, ALEX);
    }
  }
  await pause(2000);

  say('Alex makes Priya the scribe');
  await people.runCommand(ALEX, channel, '/dispatch-assign-role', '');
  await submitTopModal(
    people,
    ALEX,
    [
      [/person|who|user|participant/i, PRIYA],
      [/role/i, 'Scribe'],
    ],
    pause,
  );
  await pause(2000);

  say('Sam says what he is doing; Alex adds it as a task');
  await people.postMessage(SAM, channel, 'Rolling back the 14:00 payments deploy now.');
  const samMessage = workspace
    .messagesIn(channel)
    .filter((m) => m.user === SAM)
    .at(-1);
  if (samMessage) {
    await people.shortcut(ALEX, channel, samMessage.ts, 'add_task_from_message');
    await submitTopModal(people, ALEX, [[/assign|owner|who/i, SAM]], pause);
    await pause(1500);
    say('Mei adds that message to the timeline with a reaction');
    await people.react(MEI, channel, samMessage.ts, people.timelineEmoji).catch(() => {});
  }
  await pause(2000);

  say('Priya posts a status report');
  await people.runCommand(PRIYA, channel, '/dispatch-status-report', '');
  await submitTopModal(
    people,
    PRIYA,
    [
      [/condition/i, 'Checkout errors down to 2% after the rollback.'],
      [/action/i, 'Rolled back the payments deploy; watching error rates.'],
      [/need/i, 'Nothing right now.'],
    ],
    pause,
  );
  await pause(2500);

  say('Alex marks the incident stable');
  await people.runCommand(ALEX, channel, '/dispatch-mark-stable', '');
  await pause(3000);

  say('Alex closes the incident');
  await people.runCommand(ALEX, channel, '/dispatch-mark-closed', '');
  await pause(1500);
  if (people.modals(ALEX).length > 0) {
    await submitTopModal(people, ALEX, [[/resolution|what fixed/i, 'Rolled back the faulty payments deploy.']], pause);
  }
  say('Done: the incident went from report to closed. Look around, or run your own.');
}
