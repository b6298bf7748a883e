import { DomainError } from '../../incidents/errors';
import type { OncallService } from '../../oncall';
import { ONCALL_FIELDS, serviceOptions } from '../../slack/blocks/oncall';
import { LIMITS } from '../../slack/blocks/text';
import type { ListenerDependencies, ListenerRoutes } from '../types';

/** Slack gives an options request 3 seconds; a slower provider yields no options this keystroke (the next finds its list cached). */
const OPTIONS_BUDGET_MS = 2_000;

/**
 * The service select that searches as the person types (over 100 services, or a slow
 * provider): Slack asks the options load URL (/api/v1/events/slack/menu) with what was typed.
 * An options answer cannot carry an error, so a provider that is down yields no options (and a
 * log line); submitting the form then says why.
 */
export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  routes.options({ type: 'block_suggestion', block_id: ONCALL_FIELDS.service }, async ({ ack, body }) => {
    let services: OncallService[] = [];
    if (deps.oncall) {
      try {
        services = await deps.oncall.search(body.value ?? '', LIMITS.selectOptions, OPTIONS_BUDGET_MS);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        deps.logger.warn('on-call provider could not list services', { provider: deps.oncall.provider.name, reason: error.code });
      }
    }
    await ack({ options: serviceOptions(services) });
  });
}
