import type { FlowDependencies, Flows } from '../flows';
import type { Store } from '../store';
import type { WorkQueueWorker } from './jobs/workQueueWorker';

/**
 * Everything the composition builds: what flows use (FlowDependencies), the flows bound to it,
 * and the store (only server/ jobs and middleware, and tests, reach it directly). Listeners get
 * a narrower view (listeners/types.ts ListenerDependencies) without the store and the gateway.
 */
export interface Dependencies extends FlowDependencies {
  store: Store;
  flows: Flows;
  /**
   * Durable background work: register a handler per kind (before start), enqueue through
   * store.workQueue (inside the change's transaction), then wake() to run it without waiting
   * for the next poll.
   */
  work: WorkQueueWorker;
}
