import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type OncallPerson, type OncallProvider, type OncallService, UnknownServiceError } from './provider';
import { DEFAULT_HANDOFF, type Handoff, onCallIndex, parseHandoff, ROTATIONS, type Rotation } from './rotation';

/**
 * The static on-call schedule (ONCALL_PROVIDER=schedule): a YAML file read once at boot.
 *
 *   services:
 *     - name: Payments API
 *       users: [U0PAYONE, oncall@example.com]   # Slack user ids or emails, in rotation order
 *       rotation: weekly                         # daily | weekly
 *       handoff: "monday 09:00"                  # optional, in ONCALL_TIMEZONE
 *
 * Who is on call follows from the rotation and the time (see rotation.ts for the epoch).
 */

export interface ScheduledService {
  name: string;
  /** Slack user ids (U..., W...) or emails, in rotation order. */
  users: string[];
  rotation: Rotation;
  handoff: Handoff;
  /** Where the service starts in the file, for messages. */
  line: number;
}

export interface Schedule {
  file: string;
  timeZone: string;
  services: ScheduledService[];
}

export interface ScheduleProblem {
  /** 1-based line in the file; null when the problem is the file as a whole. */
  line: number | null;
  problem: string;
}

/** The schedule file cannot be used: every problem found, each with its line. Stops the app at boot. */
export class ScheduleFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ScheduleProblem[],
  ) {
    const lines = problems.map(({ line, problem }) => `  - ${line === null ? '' : `line ${line}: `}${problem}`);
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(
      [
        `Dispatch for Slack cannot start: the on-call schedule ${file} (ONCALL_SCHEDULE_FILE) has ${count}.`,
        ...lines,
        'Fix the file and start the app again; docs/oncall.md shows the format.',
      ].join('\n'),
    );
    this.name = 'ScheduleFileError';
  }
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SERVICE_KEYS = ['name', 'users', 'rotation', 'handoff'];
/** Service names become select options, whose text Slack cuts at 75 characters. */
const MAX_NAME_LENGTH = 75;

/** Reads and checks the schedule file; throws ScheduleFileError naming the file, the line and the problem. */
export function loadSchedule(file: string, timeZone: string): Schedule {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new ScheduleFileError(file, [{ line: null, problem: `cannot be read: ${reason}` }]);
  }
  return parseSchedule(text, file, timeZone);
}

/** Checks a schedule's text; `file` only names it in messages. */
export function parseSchedule(text: string, file: string, timeZone: string): Schedule {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const problems: ScheduleProblem[] = document.errors.map((error) => ({
    line: error.linePos?.[0].line ?? null,
    problem: `is not valid YAML: ${error.message.split(' at line ')[0]}`,
  }));
  if (problems.length > 0) throw new ScheduleFileError(file, problems);

  const lineOf = (node: Node | null | undefined, fallback: number): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const root = document.contents;
  if (!isMap(root) || !root.has('services')) {
    throw new ScheduleFileError(file, [
      { line: root ? lineOf(root, 1) : null, problem: 'expected a list of services under "services:" (see docs/oncall.md)' },
    ]);
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'services')
      problems.push({ line: lineOf(pair.key as Node, 1), problem: `unknown setting "${key}": only "services" is read` });
  }
  const servicesNode = root.get('services', true);
  const servicesLine = lineOf(servicesNode as Node, 1);
  if (!isSeq(servicesNode) || servicesNode.items.length === 0) {
    problems.push({ line: servicesLine, problem: '"services" must be a list with at least one service ("- name: ...")' });
    throw new ScheduleFileError(file, problems);
  }

  const services: ScheduledService[] = [];
  const seen = new Map<string, number>();
  for (const item of servicesNode.items) {
    const itemLine = lineOf(item as Node, servicesLine);
    if (!isMap(item)) {
      problems.push({ line: itemLine, problem: 'each service must be a mapping with name, users and rotation' });
      continue;
    }
    const here = (key: string) => lineOf(item.get(key, true) as Node, itemLine);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!SERVICE_KEYS.includes(key)) {
        problems.push({
          line: lineOf(pair.key as Node, itemLine),
          problem: `unknown field "${key}": a service has ${SERVICE_KEYS.join(', ')}`,
        });
      }
    }

    const nameNode = item.get('name', true);
    const name = isScalar(nameNode) && nameNode.value !== null ? String(nameNode.value).trim() : '';
    if (!name) problems.push({ line: here('name'), problem: 'a service needs a name' });
    else if (name.length > MAX_NAME_LENGTH) {
      problems.push({ line: here('name'), problem: `the name "${name.slice(0, 20)}…" is longer than ${MAX_NAME_LENGTH} characters` });
    } else {
      const previous = seen.get(name.toLowerCase());
      if (previous !== undefined) problems.push({ line: here('name'), problem: `"${name}" is listed twice (first on line ${previous})` });
      else seen.set(name.toLowerCase(), here('name'));
    }
    const label = name ? `"${name}"` : 'this service';

    const usersNode = item.get('users', true);
    const users: string[] = [];
    if (!isSeq(usersNode) || usersNode.items.length === 0) {
      problems.push({ line: here('users'), problem: `${label} needs users: a list of Slack user ids or emails, in rotation order` });
    } else {
      for (const userNode of usersNode.items) {
        const value = isScalar(userNode) && userNode.value !== null ? String(userNode.value).trim() : '';
        if (SLACK_USER_ID.test(value) || EMAIL.test(value)) users.push(value);
        else {
          problems.push({
            line: lineOf(userNode as Node, here('users')),
            problem: `"${value}" in the users of ${label} is neither a Slack user id (U...) nor an email`,
          });
        }
      }
    }

    const rotationNode = item.get('rotation', true);
    const rotationText = isScalar(rotationNode) ? String(rotationNode.value).trim().toLowerCase() : '';
    const rotation = ROTATIONS.find((candidate) => candidate === rotationText);
    if (!rotation) {
      problems.push({
        line: here('rotation'),
        problem: rotationNode
          ? `the rotation of ${label} must be daily or weekly (it is "${rotationText}")`
          : `${label} needs a rotation: daily or weekly`,
      });
    }

    let handoff = rotation ? DEFAULT_HANDOFF[rotation] : DEFAULT_HANDOFF.weekly;
    const handoffNode = item.get('handoff', true);
    if (handoffNode !== undefined && rotation) {
      const text =
        isScalar(handoffNode) && (typeof handoffNode.value === 'string' || typeof handoffNode.value === 'number')
          ? String(handoffNode.value)
          : '';
      const parsed = parseHandoff(text, rotation);
      if (typeof parsed === 'string') problems.push({ line: here('handoff'), problem: `the hand-off of ${label} is not valid: ${parsed}` });
      else handoff = parsed;
    }
    if (name && rotation && users.length > 0) services.push({ name, users, rotation, handoff, line: itemLine });
  }
  if (problems.length > 0) throw new ScheduleFileError(file, problems);
  return { file, timeZone, services };
}

/** On-call from the schedule file: no paging, people named by Slack id or email. */
export class ScheduleProvider implements OncallProvider {
  readonly name = 'the on-call schedule';
  readonly canPage = false;

  constructor(private readonly schedule: Schedule) {}

  async listServices(): Promise<OncallService[]> {
    return this.schedule.services.map((service) => ({ id: service.name, name: service.name }));
  }

  async findService(serviceId: string): Promise<OncallService | undefined> {
    const service = this.entry(serviceId);
    return service ? { id: service.name, name: service.name } : undefined;
  }

  async whoIsOnCall(serviceId: string, at: Date): Promise<OncallPerson[]> {
    const service = this.entry(serviceId);
    if (!service) throw new UnknownServiceError(this.name, serviceId);
    const index = onCallIndex(
      at,
      { rotation: service.rotation, handoff: service.handoff, timeZone: this.schedule.timeZone },
      service.users.length,
    );
    const user = service.users[index];
    return [SLACK_USER_ID.test(user) ? { label: user, slackUserId: user } : { label: user, email: user }];
  }

  private entry(serviceId: string): ScheduledService | undefined {
    const wanted = serviceId.trim().toLowerCase();
    return this.schedule.services.find((service) => service.name.toLowerCase() === wanted);
  }
}
