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

/** Runs `work` with a fresh request context; every log line written inside carries it. */
export function runWithRequestContext<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
  return storage.run({ ...context }, work);
}

/** Adds what became known later (the incident, once a listener found it). */
export function addToRequestContext(details: Partial<RequestContext>): void {
  const current = storage.getStore();
  if (current) Object.assign(current, details);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
