import {
  type OncallPerson,
  type OncallProvider,
  OncallProviderError,
  type OncallService,
  type PageRequest,
  UnknownServiceError,
} from './provider';

/**
 * PagerDuty (ONCALL_PROVIDER=pagerduty), over its documented APIs:
 * - REST API v2 (PAGERDUTY_API_URL): `Authorization: Token token=...` and the version-2 Accept
 *   header. GET /services (classic pagination: limit, offset, more), GET /services/{id}
 *   (its escalation policy, and with include[]=integrations its Events API v2 integration key),
 *   GET /oncalls?escalation_policy_ids[]=... (who is on call at a time, with include[]=users for
 *   their emails).
 * - Events API v2 (PAGERDUTY_EVENTS_URL): a `trigger` event with the integration key as
 *   routing_key pages whoever the service's escalation policy reaches; the incident's name is
 *   the dedup_key, so engaging the same service twice adds to the same alert.
 * Every failure becomes an OncallProviderError whose message a responder can act on.
 */

export interface PagerDutyOptions {
  apiUrl: string;
  eventsUrl: string;
  token: string;
  /** Each HTTP call gives up after this long (the person who asked is waiting). */
  timeoutMs?: number;
}

interface Reference {
  id: string;
  type?: string;
  summary?: string;
}

interface PagerDutyService extends Reference {
  name?: string;
  escalation_policy?: Reference | null;
  integrations?: Array<Reference & { integration_key?: string }>;
}

interface PagerDutyUser extends Reference {
  name?: string;
  email?: string;
}

interface PagerDutyOncall {
  escalation_level?: number;
  user?: PagerDutyUser | null;
}

/** Classic pagination stops at offset + limit = 10000 (PagerDuty answers 400 beyond). */
const MAX_RECORDS = 10_000;
const PAGE_SIZE = 100;
const EVENTS_INTEGRATION = 'events_api_v2_inbound_integration';

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}`);
  }
}

export class PagerDutyProvider implements OncallProvider {
  readonly name = 'PagerDuty';
  readonly canPage = true;
  private readonly apiUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PagerDutyOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async listServices(): Promise<OncallService[]> {
    const services: OncallService[] = [];
    for (let offset = 0; offset + PAGE_SIZE <= MAX_RECORDS; ) {
      const page = await this.get<{ services?: PagerDutyService[]; more?: boolean }>('/services', {
        limit: String(PAGE_SIZE),
        offset: String(offset),
        sort_by: 'name',
      });
      const batch = page.services ?? [];
      services.push(...batch.map(toService));
      if (!page.more || batch.length === 0) break;
      offset += batch.length;
    }
    return services;
  }

  async findService(serviceId: string): Promise<OncallService | undefined> {
    const service = await this.service(serviceId, false);
    return service ? toService(service) : undefined;
  }

  async whoIsOnCall(serviceId: string, at: Date): Promise<OncallPerson[]> {
    const service = await this.service(serviceId, false);
    if (!service) throw new UnknownServiceError(this.name, serviceId);
    const policyId = service.escalation_policy?.id;
    if (!policyId) return [];
    const oncalls: PagerDutyOncall[] = [];
    for (let offset = 0; offset + PAGE_SIZE <= MAX_RECORDS; ) {
      const page = await this.get<{ oncalls?: PagerDutyOncall[]; more?: boolean }>('/oncalls', {
        'escalation_policy_ids[]': policyId,
        'include[]': 'users',
        since: at.toISOString(),
        until: at.toISOString(),
        limit: String(PAGE_SIZE),
        offset: String(offset),
      });
      const batch = page.oncalls ?? [];
      oncalls.push(...batch);
      if (!page.more || batch.length === 0) break;
      offset += batch.length;
    }
    // The first escalation level is who PagerDuty itself would notify first.
    const withUsers = oncalls.filter((oncall) => oncall.user?.id);
    if (withUsers.length === 0) return [];
    const firstLevel = Math.min(...withUsers.map((oncall) => oncall.escalation_level ?? 1));
    const users = new Map<string, PagerDutyUser>();
    for (const oncall of withUsers) {
      const user = oncall.user as PagerDutyUser;
      if ((oncall.escalation_level ?? 1) === firstLevel && !users.has(user.id)) users.set(user.id, user);
    }
    const people: OncallPerson[] = [];
    for (const user of users.values()) {
      const email = user.email ?? (await this.get<{ user?: PagerDutyUser }>(`/users/${encodeURIComponent(user.id)}`)).user?.email;
      const name = user.name ?? user.summary ?? user.id;
      people.push(email ? { label: `${name} (${email})`, email } : { label: `${name} (no email in PagerDuty)` });
    }
    return people;
  }

  async page(request: PageRequest): Promise<void> {
    const routingKey = await this.routingKey(request.serviceId);
    const body = {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: request.dedupKey,
      payload: {
        summary: request.summary.slice(0, 1024),
        source: request.source,
        severity: request.severity,
        custom_details: request.details,
      },
      client: 'Dispatch for Slack',
      ...(request.link ? { client_url: request.link.href, links: [request.link] } : {}),
    };
    const response = await this.send(new URL(this.options.eventsUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 202 && !response.ok) {
      const detail = await eventsErrorDetail(response);
      throw describeFailure(new HttpStatusError(response.status, detail), 'page');
    }
  }

  /** The Events API v2 integration key of the service: the routing key that pages it. */
  private async routingKey(serviceId: string): Promise<string> {
    const service = await this.service(serviceId, true);
    if (!service) throw new UnknownServiceError(this.name, serviceId);
    // With include[]=integrations they come whole; otherwise as references (type ..._reference, no key).
    const integration = (service.integrations ?? []).find((candidate) => candidate.type?.replace(/_reference$/, '') === EVENTS_INTEGRATION);
    if (!integration) {
      throw new OncallProviderError(
        `The PagerDuty service "${service.name ?? serviceId}" has no Events API v2 integration, so it cannot be paged from here. Add one to the service in PagerDuty, or page them from PagerDuty.`,
        'pagerduty_no_events_integration',
      );
    }
    if (integration.integration_key) return integration.integration_key;
    const full = await this.get<{ integration?: { integration_key?: string } }>(
      `/services/${encodeURIComponent(serviceId)}/integrations/${encodeURIComponent(integration.id)}`,
    );
    const key = full.integration?.integration_key;
    if (!key) throw new OncallProviderError('PagerDuty did not give the integration key needed to page the service.', 'pagerduty_no_key');
    return key;
  }

  /** GET /services/{id}; undefined when PagerDuty has no such service (404). */
  private async service(serviceId: string, withIntegrations: boolean): Promise<PagerDutyService | undefined> {
    try {
      const answer = await this.get<{ service?: PagerDutyService }>(
        `/services/${encodeURIComponent(serviceId)}`,
        withIntegrations ? { 'include[]': 'integrations' } : {},
      );
      return answer.service;
    } catch (error) {
      if (error instanceof OncallProviderError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const url = new URL(`${this.apiUrl}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);
    const response = await this.send(url, {
      method: 'GET',
      headers: {
        accept: 'application/vnd.pagerduty+json;version=2',
        authorization: `Token token=${this.options.token}`,
      },
    });
    if (!response.ok) throw describeFailure(new HttpStatusError(response.status, await restErrorDetail(response)), 'read');
    try {
      return (await response.json()) as T;
    } catch {
      throw new OncallProviderError('PagerDuty answered with something that is not JSON; try again in a minute.', 'pagerduty_bad_answer');
    }
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      // A DOMException (from AbortSignal.timeout), which need not be an instanceof Error here.
      const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new OncallProviderError(
          `PagerDuty did not answer within ${describeWait(this.timeoutMs)}; try again in a minute.`,
          'pagerduty_timeout',
        );
      }
      throw new OncallProviderError(
        `The app could not reach PagerDuty (${url.host}); try again in a minute. If it keeps failing, ask your Dispatch admin to check the PagerDuty settings.`,
        'pagerduty_unreachable',
      );
    }
  }
}

function describeWait(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function toService(service: PagerDutyService): OncallService {
  return { id: service.id, name: service.name ?? service.summary ?? service.id };
}

/** PagerDuty's REST errors: {"error": {"message": "...", "code": 2006, "errors": [...]}}. */
async function restErrorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string; errors?: string[] } };
    return [body.error?.message, ...(body.error?.errors ?? [])].filter(Boolean).join(': ');
  } catch {
    return '';
  }
}

/** The Events API's errors: {"status": "invalid event", "message": "...", "errors": [...]}. */
async function eventsErrorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: string; errors?: string[] };
    return [body.message, ...(body.errors ?? [])].filter(Boolean).join(': ');
  } catch {
    return '';
  }
}

/** An HTTP status from PagerDuty, in words for the person who asked. */
function describeFailure(error: HttpStatusError, doing: 'read' | 'page'): OncallProviderError {
  const { status, detail } = error;
  const what = doing === 'page' ? 'the page' : 'the request';
  const withDetail = detail ? ` (HTTP ${status}: ${detail})` : ` (HTTP ${status})`;
  let message: string;
  if (status === 401)
    message = "PagerDuty refused the app's API token (HTTP 401); ask whoever runs Dispatch to check the PagerDuty connection.";
  else if (status === 403)
    message =
      'The PagerDuty API token is not allowed to do this (HTTP 403); ask whoever runs Dispatch to give the app access to services and on-calls.';
  else if (status === 402) message = 'The PagerDuty account does not include what this needs (HTTP 402).';
  else if (status === 404) message = `PagerDuty could not find what was asked for${withDetail}.`;
  else if (status === 429) message = 'PagerDuty is limiting how often the app may call it (HTTP 429); try again in a minute.';
  else if (status === 408 || status >= 500) message = `PagerDuty had a problem answering (HTTP ${status}); try again in a minute.`;
  else message = `PagerDuty refused ${what}${withDetail}.`;
  return new OncallProviderError(message, `pagerduty_http_${status}`, status);
}
