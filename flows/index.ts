import type { FlowDependencies } from './dependencies';
import { FLOW_MODULES } from './registry';

export type { FlowDependencies } from './dependencies';
export type { Reply } from './reply';

/** What a listener calls: a flow with its dependencies given. */
type Bound<Flow> = Flow extends (deps: FlowDependencies, ...args: infer Args) => infer Result ? (...args: Args) => Result : never;

type UnionToIntersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer Both) => void
  ? Both
  : never;

/** Every module's `flows`, in one object. */
type AllFlows = UnionToIntersection<(typeof FLOW_MODULES)[keyof typeof FLOW_MODULES]>;

/**
 * Every flow a listener may start, bound to the app's dependencies once at composition. Each
 * module of flows/ lists its flows in an exported `flows` object (flows/registry.ts, written by
 * `npm run generate`, imports them all); each flow declares the narrow part of FlowDependencies
 * it uses, which the binding checks. Listeners see only these functions, never the store or the
 * gateway.
 */
export type Flows = { [Name in keyof AllFlows]: Bound<AllFlows[Name]> };

export function createFlows(deps: FlowDependencies): Flows {
  const bound: Record<string, (...args: never[]) => unknown> = {};
  for (const [module, flows] of Object.entries(FLOW_MODULES)) {
    for (const [name, flow] of Object.entries(flows as Record<string, (deps: FlowDependencies, ...args: never[]) => unknown>)) {
      if (name in bound) throw new Error(`two flows are called ${name} (the second in flows/${module}.ts)`);
      bound[name] = (...args: never[]) => flow(deps, ...args);
    }
  }
  return bound as unknown as Flows;
}
