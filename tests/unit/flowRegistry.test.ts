import { createFlows, type FlowDependencies } from '../../flows';
import { FLOW_MODULES } from '../../flows/registry';

/** What listeners get: every module's flows, bound to the composition's dependencies. */
test('createFlows binds every flow of every flows/ module, each given the dependencies', async () => {
  const seen: unknown[] = [];
  const gateway = { respond: async (...args: unknown[]) => void seen.push(args) };
  const deps = { gateway } as unknown as FlowDependencies;
  const flows = createFlows(deps);
  const names = Object.values(FLOW_MODULES).flatMap((module) => Object.keys(module));
  expect(Object.keys(flows).sort()).toEqual([...names].sort());
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(['requestStatusChange', 'showHome', 'replyByResponseUrl', 'retrySetup']));
  await flows.replyByResponseUrl('https://hooks.example/1')({ text: 'hi' });
  expect(seen).toEqual([['https://hooks.example/1', { text: 'hi' }]]);
});
