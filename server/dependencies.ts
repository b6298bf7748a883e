import type { FlowDependencies, Flows } from '../flows';
import type { Store } from '../store';

/**
 * Everything the composition builds: what flows use (FlowDependencies), the flows bound to it,
 * and the store (only server/ jobs and middleware, and tests, reach it directly). Listeners get
 * a narrower view (listeners/types.ts ListenerDependencies) without the store and the gateway.
 */
export interface Dependencies extends FlowDependencies {
  store: Store;
  flows: Flows;
}
