import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line says about the Slack request it belongs to. */
export interface RequestContext {
  kind?: string;
  command?: string;
  eventType?: string;
  action?: string;
  user?: string;
  channel?: string;
  incident?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request (its body) each context was opened for, when the opener said. */
const owners = new WeakMap<RequestContext, object>();

/**
 * Runs `work` with a fresh request context; every log line written inside carries it. `owner`
 * (the request's body) lets a later step of the same request find it (runInRequestContext).
 */
export function runWithRequestContext<T>(context: RequestContext, work: () => Promise<T>, owner?: object): Promise<T> {
  const opened = { ...context };
  if (owner) owners.set(opened, owner);
  return storage.run(opened, work);
}

/**
 * Runs `work` in the context opened for `owner`: the current one when it was (the HTTP receiver
 * opens it before Bolt routes the request), else a fresh one described now (Socket Mode, a
 * request replayed after its ack), so a request's lines carry it however it arrived.
 */
export function runInRequestContext<T>(owner: object, describe: () => RequestContext, work: () => Promise<T>): Promise<T> {
  const current = storage.getStore();
  if (current && owners.get(current) === owner) return work();
  return runWithRequestContext(describe(), work, owner);
}

/** Adds what became known later (the incident, once a listener found it). */
export function addToRequestContext(details: Partial<RequestContext>): void {
  const current = storage.getStore();
  if (current) Object.assign(current, details);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
