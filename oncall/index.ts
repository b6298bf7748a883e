import type { Settings } from '../config';
import type { Clock } from '../incidents/clock';
import { PagerDutyProvider } from './pagerduty';
import type { OncallProvider, OncallService } from './provider';
import { loadSchedule, ScheduleProvider } from './schedule';

export type { OncallPerson, OncallProvider, OncallService, PageRequest, PageSeverity } from './provider';
export { OncallProviderError, UnknownServiceError } from './provider';
export { ScheduleFileError } from './schedule';

/** How long a provider's service list is reused before it is asked again. */
const SERVICE_LIST_TTL_MS = 5 * 60_000;

/**
 * The configured provider plus its service list, cached: the engage form must open within
 * Slack's 3 seconds, its external select searches the list on every keystroke, and a form
 * submission checks the service it names before answering Slack.
 */
export class OncallDirectory {
  private cached: { services: OncallService[]; expiresAt: number } | undefined;
  private loading: Promise<OncallService[]> | undefined;

  constructor(
    readonly provider: OncallProvider,
    private readonly clock: Clock,
    private readonly ttlMs = SERVICE_LIST_TTL_MS,
  ) {}

  /** Every service, from the cache while it is fresh. A failed listing is not cached. */
  services(): Promise<OncallService[]> {
    if (this.cached && this.cached.expiresAt > this.clock.now().getTime()) return Promise.resolve(this.cached.services);
    this.loading ??= this.provider
      .listServices()
      .then((services) => {
        this.cached = { services, expiresAt: this.clock.now().getTime() + this.ttlMs };
        return services;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /**
   * The services if the provider answers within `budgetMs`, else undefined (the listing goes
   * on and fills the cache; the caller falls back to a select that searches as you type).
   */
  async servicesWithin(budgetMs: number): Promise<OncallService[] | undefined> {
    const listing = this.services();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), budgetMs);
    });
    try {
      return await Promise.race([listing, late]);
    } finally {
      clearTimeout(timer);
      // A listing that loses the race may still fail later; nobody is waiting for it then.
      listing.catch(() => undefined);
    }
  }

  /** From the cache only: the service, null when the cached list lacks it, undefined when nothing is cached. */
  cachedService(serviceId: string): OncallService | null | undefined {
    if (!this.cached) return undefined;
    return this.cached.services.find((service) => service.id === serviceId) ?? null;
  }

  /**
   * Whether the service exists, if the provider's list is at hand within `budgetMs` (a form
   * submission checks before answering Slack): the service, null when the list lacks it,
   * undefined when that cannot be known in time (or the listing failed).
   */
  async lookupWithin(serviceId: string, budgetMs: number): Promise<OncallService | null | undefined> {
    const services = await this.servicesWithin(budgetMs).catch(() => undefined);
    if (!services) return undefined;
    return services.find((service) => service.id === serviceId) ?? null;
  }

  /**
   * Services whose name contains `query` (any case), at most `limit`, for the select that
   * searches as the person types; empty when the provider does not answer within `budgetMs`.
   */
  async search(query: string, limit: number, budgetMs: number): Promise<OncallService[]> {
    const wanted = query.trim().toLowerCase();
    const services = (await this.servicesWithin(budgetMs)) ?? [];
    return services.filter((service) => service.name.toLowerCase().includes(wanted)).slice(0, limit);
  }
}

/**
 * The provider ONCALL_PROVIDER names, or null for `none`. A schedule file is read and checked
 * here, at boot: a mistake in it throws ScheduleFileError (file, line, problem).
 */
export function createOncallDirectory(settings: Settings['oncall'], clock: Clock): OncallDirectory | null {
  switch (settings.provider) {
    case 'none':
      return null;
    case 'schedule':
      return new OncallDirectory(new ScheduleProvider(loadSchedule(settings.scheduleFile ?? '', settings.timezone)), clock);
    case 'pagerduty':
      return new OncallDirectory(
        new PagerDutyProvider({
          apiUrl: settings.pagerdutyApiUrl,
          eventsUrl: settings.pagerdutyEventsUrl,
          token: settings.pagerdutyApiToken ?? '',
        }),
        clock,
      );
  }
}

/** For the log when someone asks for on-call and no provider is configured: what the admin sets. */
export const ONCALL_SETUP_HINT =
  'set ONCALL_PROVIDER=schedule with ONCALL_SCHEDULE_FILE (a YAML file of rotations), or ONCALL_PROVIDER=pagerduty with PAGERDUTY_API_TOKEN (docs/oncall.md)';
