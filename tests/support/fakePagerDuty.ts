/**
 * A fake PagerDuty for tests: a real HTTP server on 127.0.0.1 that answers the REST API v2
 * calls Dispatch makes (services, a service with its integrations, on-calls, users) and the
 * Events API v2 enqueue endpoint, the way PagerDuty documents them: token auth, classic
 * pagination (limit, offset, more), include[], its error bodies. It records every call and can
 * answer with errors (401, 404, 429, 5xx), drop connections, or answer slowly.
 *
 * Point the app at it with PAGERDUTY_API_URL = fake.apiUrl, PAGERDUTY_EVENTS_URL = fake.eventsUrl.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePagerDutyService {
  id: string;
  name: string;
  escalationPolicyId: string | null;
  integrations: Array<{ id: string; type: string; integrationKey: string }>;
}

export interface FakePagerDutyUser {
  id: string;
  name: string;
  email: string;
}

export interface FakeOncall {
  escalationPolicyId: string;
  level: number;
  userId: string;
  /** ISO times; null start or end means "always". */
  start: string | null;
  end: string | null;
}

export interface PagerDutyCall {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the fake answered. */
  status: number;
}

/** An event the Events API accepted (202). */
export interface AcceptedEvent {
  serviceId: string;
  body: {
    routing_key: string;
    event_action: string;
    dedup_key?: string;
    payload?: { summary?: string; source?: string; severity?: string; custom_details?: Record<string, unknown> };
    client?: string;
    client_url?: string;
    links?: Array<{ href: string; text?: string }>;
  };
}

type Injection = { kind: 'status'; status: number } | { kind: 'disconnect' };

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 25;
const MAX_RECORDS = 10_000;
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const restError = (status: number, message: string, code: number, errors: string[] = []) =>
  new Answer(status, { error: { message, code, ...(errors.length > 0 ? { errors } : {}) } });

export class FakePagerDuty {
  readonly apiUrl: string;
  readonly eventsUrl: string;
  readonly calls: PagerDutyCall[] = [];
  readonly events: AcceptedEvent[] = [];
  readonly services = new Map<string, FakePagerDutyService>();
  readonly users = new Map<string, FakePagerDutyUser>();
  readonly oncalls: FakeOncall[] = [];

  private readonly injections: Array<{ pathPrefix: string; injection: Injection }> = [];
  private latencyMs = 0;
  private counter = 0;

  private constructor(
    private readonly server: Server,
    port: number,
    readonly token: string,
  ) {
    this.apiUrl = `http://127.0.0.1:${port}`;
    this.eventsUrl = `http://127.0.0.1:${port}/v2/enqueue`;
  }

  static async start(options: { token?: string } = {}): Promise<FakePagerDuty> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const fake = new FakePagerDuty(server, (server.address() as AddressInfo).port, options.token ?? 'pd-test-token');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => fake.onRequest(request, response));
    return fake;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ----- setup --------------------------------------------------------------------------------

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(6, '0')}`;
  }

  /** A service with its own escalation policy and (unless told otherwise) an Events API v2 integration. */
  addService(name: string, options: { id?: string; withEventsIntegration?: boolean; escalationPolicyId?: string | null } = {}) {
    const service: FakePagerDutyService = {
      id: options.id ?? this.nextId('PS'),
      name,
      escalationPolicyId: options.escalationPolicyId === undefined ? this.nextId('PE') : options.escalationPolicyId,
      integrations: [],
    };
    if (options.withEventsIntegration ?? true) {
      service.integrations.push({
        id: this.nextId('PI'),
        type: 'events_api_v2_inbound_integration',
        integrationKey: randomBytes(16).toString('hex'),
      });
    }
    service.integrations.push({
      id: this.nextId('PI'),
      type: 'generic_email_inbound_integration',
      integrationKey: randomBytes(16).toString('hex'),
    });
    this.services.set(service.id, service);
    return service;
  }

  addUser(name: string, email: string): FakePagerDutyUser {
    const user = { id: this.nextId('PU'), name, email };
    this.users.set(user.id, user);
    return user;
  }

  /** Puts the user on call for the service's escalation policy (level 1, always, unless told otherwise). */
  putOnCall(
    service: FakePagerDutyService,
    user: FakePagerDutyUser,
    options: Partial<Pick<FakeOncall, 'level' | 'start' | 'end'>> = {},
  ): void {
    if (!service.escalationPolicyId) throw new Error('FakePagerDuty: that service has no escalation policy');
    this.oncalls.push({ escalationPolicyId: service.escalationPolicyId, userId: user.id, level: 1, start: null, end: null, ...options });
  }

  // ----- inspection and fault injection ---------------------------------------------------------

  callsTo(pathPrefix: string): PagerDutyCall[] {
    return this.calls.filter((call) => call.path.startsWith(pathPrefix));
  }

  /** The next `times` requests whose path starts with `pathPrefix` ('' for any) answer `status` with PagerDuty's error body. */
  failNext(pathPrefix: string, status: number, times = 1): void {
    for (let i = 0; i < times; i += 1) this.injections.push({ pathPrefix, injection: { kind: 'status', status } });
  }

  /** The next `times` matching requests get their connection dropped (a network error for the client). */
  disconnectNext(pathPrefix: string, times = 1): void {
    for (let i = 0; i < times; i += 1) this.injections.push({ pathPrefix, injection: { kind: 'disconnect' } });
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ----- HTTP -------------------------------------------------------------------------------------

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', this.apiUrl);
      const raw = Buffer.concat(chunks).toString('utf8');
      const query: Record<string, string[]> = {};
      for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
      const call: PagerDutyCall = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query,
        headers: request.headers,
        body: raw,
        status: 0,
      };
      const injectionIndex = this.injections.findIndex((candidate) => url.pathname.startsWith(candidate.pathPrefix));
      const injection = injectionIndex === -1 ? undefined : this.injections.splice(injectionIndex, 1)[0].injection;
      if (injection?.kind === 'disconnect') {
        this.calls.push(call);
        request.socket.destroy();
        return;
      }
      let answer: Answer;
      try {
        answer = injection ? this.injected(url.pathname, injection.status) : this.route(call, url, raw);
      } catch (error) {
        answer = new Answer(500, {
          error: { message: `fake PagerDuty bug: ${error instanceof Error ? error.stack : String(error)}`, code: 2000 },
        });
      }
      call.status = answer.status;
      this.calls.push(call);
      const send = () => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      };
      if (this.latencyMs > 0) setTimeout(send, this.latencyMs);
      else send();
    });
  }

  private injected(path: string, status: number): Answer {
    if (path === '/v2/enqueue') {
      return new Answer(
        status,
        status === 429
          ? { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }
          : { status: 'error', message: 'Internal error' },
      );
    }
    if (status === 401) return restError(401, 'Authentication failed', 2006);
    if (status === 403) return restError(403, 'Access Denied', 2010);
    if (status === 404) return restError(404, 'Not Found', 2100);
    if (status === 429) return restError(429, 'Rate Limit Exceeded', 2020);
    return restError(status, 'An internal error has occurred. PagerDuty team has been notified.', 2000);
  }

  private route(call: PagerDutyCall, url: URL, raw: string): Answer {
    const path = url.pathname;
    if (path === '/v2/enqueue')
      return call.method === 'POST' ? this.enqueue(raw, call) : new Answer(405, { status: 'error', message: 'method not allowed' });
    if (call.headers.authorization !== `Token token=${this.token}`) return restError(401, 'Authentication failed', 2006);
    if (call.method !== 'GET') return restError(405, 'Method not allowed', 2001);
    const includes = url.searchParams.getAll('include[]');
    if (path === '/services') return this.listServices(url);
    if (path === '/oncalls') return this.listOncalls(url, includes.includes('users'));
    const [, resource = '', id = '', sub = '', subId = ''] = path.split('/').map(decodeURIComponent);
    if (resource === 'services' && id && !sub) {
      const service = this.services.get(id);
      if (!service) return restError(404, 'Not Found', 2100);
      return new Answer(200, { service: this.serviceBody(service, includes.includes('integrations')) });
    }
    if (resource === 'services' && sub === 'integrations' && subId) {
      const service = this.services.get(id);
      const integration = service?.integrations.find((candidate) => candidate.id === subId);
      if (!service || !integration) return restError(404, 'Not Found', 2100);
      return new Answer(200, { integration: this.integrationBody(service, integration, true) });
    }
    if (resource === 'users' && id && !sub) {
      const user = this.users.get(id);
      if (!user) return restError(404, 'Not Found', 2100);
      return new Answer(200, { user: this.userBody(user, true) });
    }
    return restError(404, 'Not Found', 2100);
  }

  private page(url: URL): { limit: number; offset: number } | Answer {
    const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : DEFAULT_LIMIT;
    const offset = url.searchParams.has('offset') ? Number(url.searchParams.get('offset')) : 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || !Number.isInteger(offset) || offset < 0) {
      return restError(400, 'Invalid Input Provided', 2001, ['limit must be between 1 and 100, offset 0 or more']);
    }
    if (offset + limit > MAX_RECORDS) return restError(400, 'Invalid Input Provided', 2001, ['Offset must be less than 10000']);
    return { limit, offset };
  }

  private listServices(url: URL): Answer {
    const page = this.page(url);
    if (page instanceof Answer) return page;
    let services = [...this.services.values()];
    const query = url.searchParams.get('query');
    if (query) services = services.filter((service) => service.name.toLowerCase().includes(query.toLowerCase()));
    if (url.searchParams.get('sort_by')?.startsWith('name')) services.sort((a, b) => a.name.localeCompare(b.name));
    const slice = services.slice(page.offset, page.offset + page.limit);
    return new Answer(200, {
      services: slice.map((service) => this.serviceBody(service, false)),
      limit: page.limit,
      offset: page.offset,
      more: page.offset + page.limit < services.length,
      total: url.searchParams.get('total') === 'true' ? services.length : null,
    });
  }

  private listOncalls(url: URL, includeUsers: boolean): Answer {
    const page = this.page(url);
    if (page instanceof Answer) return page;
    const now = new Date().toISOString();
    const since = url.searchParams.get('since') ?? now;
    const until = url.searchParams.get('until') ?? now;
    if (Number.isNaN(Date.parse(since)) || Number.isNaN(Date.parse(until)) || Date.parse(until) < Date.parse(since)) {
      return restError(400, 'Invalid Query Date Range', 2005);
    }
    const policies = url.searchParams.getAll('escalation_policy_ids[]');
    const overlapping = this.oncalls.filter(
      (oncall) =>
        (policies.length === 0 || policies.includes(oncall.escalationPolicyId)) &&
        (oncall.start === null || Date.parse(oncall.start) <= Date.parse(until)) &&
        (oncall.end === null || Date.parse(oncall.end) >= Date.parse(since)),
    );
    const slice = overlapping.slice(page.offset, page.offset + page.limit);
    return new Answer(200, {
      oncalls: slice.map((oncall) => {
        const user = this.users.get(oncall.userId);
        return {
          escalation_policy: { id: oncall.escalationPolicyId, type: 'escalation_policy_reference', summary: 'Escalation policy' },
          escalation_level: oncall.level,
          schedule: null,
          user: user ? this.userBody(user, includeUsers) : { id: oncall.userId, type: 'user_reference', summary: 'Deleted user' },
          start: oncall.start,
          end: oncall.end,
        };
      }),
      limit: page.limit,
      offset: page.offset,
      more: page.offset + page.limit < overlapping.length,
      total: null,
    });
  }

  private enqueue(raw: string, call: PagerDutyCall): Answer {
    const invalid = (...errors: string[]) => new Answer(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    let body: AcceptedEvent['body'];
    try {
      body = JSON.parse(raw) as AcceptedEvent['body'];
    } catch {
      return new Answer(400, { status: 'invalid request', message: 'Invalid JSON', errors: ['Malformed request body'] });
    }
    call.body = body;
    const service = [...this.services.values()].find((candidate) =>
      candidate.integrations.some(
        (integration) => integration.type === 'events_api_v2_inbound_integration' && integration.integrationKey === body.routing_key,
      ),
    );
    if (!body.routing_key || !service) return invalid('Invalid routing key');
    if (!ACTIONS.includes(body.event_action)) return invalid("'event_action' is invalid");
    if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255))
      return invalid("'dedup_key' is invalid");
    if (body.event_action === 'trigger') {
      const payload = body.payload;
      const problems: string[] = [];
      if (!payload?.summary) problems.push("'payload.summary' is missing or blank");
      else if (payload.summary.length > 1024) problems.push("'payload.summary' is too long");
      if (!payload?.source) problems.push("'payload.source' is missing or blank");
      if (!payload?.severity || !SEVERITIES.includes(payload.severity)) problems.push("'payload.severity' is invalid");
      if (problems.length > 0) return invalid(...problems);
    }
    const dedupKey = body.dedup_key ?? randomBytes(16).toString('hex');
    this.events.push({ serviceId: service.id, body });
    return new Answer(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  }

  // ----- bodies as PagerDuty shapes them --------------------------------------------------------

  private serviceBody(service: FakePagerDutyService, fullIntegrations: boolean) {
    return {
      id: service.id,
      type: 'service',
      summary: service.name,
      name: service.name,
      self: `${this.apiUrl}/services/${service.id}`,
      html_url: `https://acme.pagerduty.com/service-directory/${service.id}`,
      status: 'active',
      escalation_policy: service.escalationPolicyId
        ? { id: service.escalationPolicyId, type: 'escalation_policy_reference', summary: `${service.name} policy` }
        : null,
      integrations: service.integrations.map((integration) => this.integrationBody(service, integration, fullIntegrations)),
    };
  }

  private integrationBody(service: FakePagerDutyService, integration: FakePagerDutyService['integrations'][number], full: boolean) {
    if (!full) return { id: integration.id, type: `${integration.type}_reference`, summary: integration.type };
    return {
      id: integration.id,
      type: integration.type,
      summary: integration.type,
      name: integration.type,
      service: { id: service.id, type: 'service_reference', summary: service.name },
      integration_key: integration.integrationKey,
    };
  }

  private userBody(user: FakePagerDutyUser, full: boolean) {
    if (!full) return { id: user.id, type: 'user_reference', summary: user.name, self: `${this.apiUrl}/users/${user.id}` };
    return { id: user.id, type: 'user', summary: user.name, name: user.name, email: user.email, self: `${this.apiUrl}/users/${user.id}` };
  }
}
