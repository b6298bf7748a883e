import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  type App,
  type Logger as BoltLogger,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Receiver,
  type ReceiverEvent,
  ReceiverMultipleAckError,
} from '@slack/bolt';
import type { BufferedIncomingMessage } from '@slack/bolt/dist/receivers/BufferedIncomingMessage';
import { runWithRequestContext } from '../../logging/context';
import type { AppLogger } from '../../logging/logger';
import { preparedBody } from '../../slack/preparedJson';
import { runBeforeAck } from '../../store/ackPhase';
import { ReportedError } from '../errorHandling';
import { observeRequest } from '../metrics';
import { describeRequest } from '../requestInfo';
import { markAcknowledged } from './acknowledged';
import type { AfterAckWork, Release } from './afterAck';
import { classifySlackBody } from './payloads';

/** An Events API delivery, verified and well formed, to be made durable before Slack hears 200. */
export interface EventDelivery {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

/** accepted: stored now; duplicate: stored before (a retry); ignored: not ours to store. */
export type EventAcceptance = 'accepted' | 'duplicate' | 'ignored';

export interface HttpLimits {
  /** All request headers must have arrived within this time. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this time. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Connections one client address may hold open at once; more are closed at once. */
  maxConnectionsPerClient: number;
  /** Larger bodies get 413 (Slack's payloads are a few kilobytes). */
  bodyLimitBytes: number;
}

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  endpoints: readonly string[];
  port: number;
  customRoutes?: CustomRoute[];
  logger: AppLogger;
  boltLogger: BoltLogger;
  limits: HttpLimits;
  /** Makes an event durable; the 200 is sent only after it resolves. */
  acceptEvent(delivery: EventDelivery): Promise<EventAcceptance>;
  /** Bounds what commands and interactions do after their ack; without it, nothing waits. */
  afterAck?: AfterAckWork;
  now?: () => number;
}

/** Slack signs with the current time; more than this off in either direction is refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** Bolt's own window for an ack before it answers for the listener. */
const UNHANDLED_REQUEST_TIMEOUT_MS = 3001;

function answer(response: ServerResponse, status: number, text?: string): void {
  if (response.headersSent) return;
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' };
  // A refused request may still be sending its body; closing keeps it from holding the connection.
  if (status >= 400) headers.connection = 'close';
  response.writeHead(status, headers);
  response.end(text);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The HTTP receiver for Dispatch's four Slack paths. Verification is Bolt's own
 * (parseAndVerifyHTTPRequest, i.e. verifySlackRequest); around it this receiver
 * - refuses timestamps more than 5 minutes off in either direction (Bolt checks only the past),
 * - answers every odd request with a 4xx at once: a request target that is not a URL, a body
 *   that is not JSON, not an object, nested too deep, or no Slack payload Bolt can route,
 * - stores Events API deliveries durably (acceptEvent) before answering 200,
 * - keeps Slack's requests on tight timeouts and caps connections per client,
 * - never lets a request's failure escape as an unhandled rejection.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly connectionsByClient = new Map<string, number>();
  private readonly routes: Map<string, Map<string, CustomRoute['handler']>>;
  private readonly now: () => number;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.routes = new Map();
    for (const route of options.customRoutes ?? []) {
      const methods = this.routes.get(route.path) ?? new Map<string, CustomRoute['handler']>();
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) methods.set(method.toUpperCase(), route.handler);
      this.routes.set(route.path, methods);
    }
  }

  /** An exact path, or one whose last segment is a `:name` parameter (e.g. /charts/:token). */
  private findRoute(path: string, method: string): { route?: CustomRoute['handler']; params: Record<string, string> } {
    const exact = this.routes.get(path)?.get(method);
    if (exact) return { route: exact, params: {} };
    const slash = path.lastIndexOf('/');
    for (const [pattern, methods] of this.routes) {
      const parameter = /^(.*\/):([A-Za-z]+)$/.exec(pattern);
      const route = methods.get(method);
      if (!parameter || !route || path.slice(0, slash + 1) !== parameter[1] || slash === path.length - 1) continue;
      // A malformed escape (%zz) is no match, never an exception out of the request handler.
      let value: string;
      try {
        value = decodeURIComponent(path.slice(slash + 1));
      } catch {
        continue;
      }
      return { route, params: { [parameter[2]]: value } };
    }
    return { params: {} };
  }

  init(app: App): void {
    this.app = app;
  }

  start(port: number = this.options.port): Promise<Server> {
    if (this.server) return Promise.reject(new Error('the receiver is already started'));
    const { limits } = this.options;
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Node checks the two timeouts above this often (default 30 s, too coarse for them).
        connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      },
      (request, response) => {
        try {
          this.handle(request, response);
        } catch (error) {
          // A throw here would escape Node's request listener and end the process.
          this.options.logger.error('a request failed in the receiver', { error: errorMessage(error) });
          answer(response, 400, 'Bad request.');
        }
      },
    );
    // A connection that goes quiet (a client that stopped reading or writing) is closed.
    server.setTimeout(limits.requestTimeoutMs + limits.keepAliveTimeoutMs);
    server.on('connection', (socket) => this.admit(socket));
    // Unparsable request lines and headers, and the timeouts above, are Node's to answer (400, 408,
    // 431, then the connection is closed): no listener here, which would keep the socket open.
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = undefined;
    return new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });
  }

  /** Caps the connections one client holds; Slack opens a few, a trickling attacker many. */
  private admit(socket: Socket): void {
    const client = socket.remoteAddress ?? 'unknown';
    const open = this.connectionsByClient.get(client) ?? 0;
    if (open >= this.options.limits.maxConnectionsPerClient) {
      this.options.logger.warn('refused a connection: too many open from one client', { client, open });
      socket.destroy();
      return;
    }
    this.connectionsByClient.set(client, open + 1);
    socket.once('close', () => {
      const remaining = (this.connectionsByClient.get(client) ?? 1) - 1;
      if (remaining <= 0) this.connectionsByClient.delete(client);
      else this.connectionsByClient.set(client, remaining);
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      answer(response, 400, 'Bad request target.');
      return;
    }
    const method = (request.method ?? 'GET').toUpperCase();
    if (this.options.endpoints.includes(path)) {
      if (method !== 'POST') {
        response.setHeader('allow', 'POST');
        answer(response, 405, 'Slack requests are POSTed.');
        return;
      }
      this.handleSlackRequest(request, response).catch((error: unknown) => {
        // Everything below answers on its own; this is the net under it, so nothing escapes.
        this.options.logger.error('a Slack request failed in the receiver', { error: errorMessage(error), path });
        answer(response, 400, 'Bad request.');
      });
      return;
    }
    const { route, params } = this.findRoute(path, method);
    if (route) {
      try {
        route(Object.assign(request, { params }), response);
      } catch (error) {
        this.options.logger.error('a route failed', { path, error: errorMessage(error) });
        answer(response, 500);
      }
      return;
    }
    answer(response, 404, 'Not found.');
  }

  /** Bolt checks that a timestamp is not stale; one from the future is refused here too. */
  private timestampIsCurrent(request: IncomingMessage): boolean {
    const header = request.headers['x-slack-request-timestamp'];
    if (typeof header !== 'string' || !/^\d{1,12}$/.test(header.trim())) return false;
    const skew = Math.abs(Math.floor(this.now() / 1000) - Number(header));
    return skew <= MAX_CLOCK_SKEW_SECONDS;
  }

  private async handleSlackRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { logger } = this.options;
    // ssl_check is unsigned by Slack's design; Bolt recognises it after reading the body.
    const isForm = request.headers['content-type'] === 'application/x-www-form-urlencoded';
    if (!isForm && !this.timestampIsCurrent(request)) {
      logger.warn('refused a Slack request: its timestamp is missing or more than 5 minutes off');
      answer(response, 401);
      return;
    }
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: this.options.signingSecret, bodyLimit: this.options.limits.bodyLimitBytes },
        request,
        response,
      );
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error)) {
        const status = error.statusCode === 413 ? 413 : error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
        logger.warn('refused a Slack request: its body could not be read', { status, reason: error.type });
        answer(response, status);
        return;
      }
      logger.warn('refused a Slack request: it failed verification', { reason: errorMessage(error) });
      answer(response, 401);
      return;
    }
    let parsed: unknown;
    try {
      parsed = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      logger.warn('refused a Slack request: its body is not valid JSON or form data');
      answer(response, 400, 'The body is not valid JSON or form data.');
      return;
    }
    const classified = classifySlackBody(parsed);
    if (classified.kind === 'refused') {
      logger.warn('refused a Slack request: not a payload this app can route', { reason: classified.reason });
      answer(response, 400, 'This is not a Slack payload this app handles.');
      return;
    }
    // Form bodies were let through for ssl_check; everything else must carry a current timestamp.
    if (classified.kind === 'ssl_check') {
      HTTPModuleFunctions.buildSSLCheckResponse(response);
      return;
    }
    if (isForm && !this.timestampIsCurrent(request)) {
      logger.warn('refused a Slack request: its timestamp is missing or more than 5 minutes off');
      answer(response, 401);
      return;
    }
    const { body } = classified;
    switch (classified.kind) {
      case 'url_verification':
        HTTPModuleFunctions.buildUrlVerificationResponse(response, body);
        return;
      case 'app_rate_limited':
        logger.warn('Slack reports that event deliveries to this app are rate limited', { minute: body.minute_rate_limited });
        answer(response, 200);
        return;
      case 'event': {
        const acked = observeRequest('event');
        // The inbox writes on the ack lane's own queue (store/ackLane.ts).
        await runWithRequestContext(describeRequest(body), () => this.acceptEvent(request, response, body));
        acked();
        return;
      }
      default:
        await runBeforeAck((acknowledged) => {
          // However the request ends (its ack, Bolt's timeout, a closed connection), the lane is left.
          response.once('close', acknowledged);
          return runWithRequestContext(describeRequest(body), () => this.dispatch(buffered, request, response, body, acknowledged), body);
        });
    }
  }

  /** The event is in the database before Slack hears 200; if it cannot be stored, Slack retries it. */
  private async acceptEvent(request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>): Promise<void> {
    try {
      await this.options.acceptEvent({
        body,
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
      });
      answer(response, 200);
    } catch (error) {
      this.options.logger.error('could not store a Slack event; Slack will deliver it again', { error: errorMessage(error) });
      response.setHeader('retry-after', '1');
      answer(response, 503);
    }
  }

  /** Commands and interactions go to Bolt, whose listeners ack them (or ackUnhandled does). */
  private async dispatch(
    buffered: BufferedIncomingMessage,
    request: IncomingMessage,
    response: ServerResponse,
    body: Record<string, unknown>,
    acknowledged: () => void,
  ) {
    const app = this.app;
    if (!app) throw new Error('the receiver was started before the app was attached');
    const ack = new HTTPResponseAck({
      logger: this.options.boltLogger,
      processBeforeResponse: false,
      unhandledRequestTimeoutMillis: UNHANDLED_REQUEST_TIMEOUT_MS,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: response,
    });
    const reply = ack.bind();
    let answered = false;
    const { afterAck } = this.options;
    let release: Release | undefined;
    const event: ReceiverEvent = {
      body,
      ack: async (message) => {
        try {
          if (answered) throw new ReceiverMultipleAckError();
          answered = true;
          markAcknowledged(body);
          const prepared = preparedBody(message);
          if (prepared) {
            // Serialized once for many requests (slack/preparedJson.ts): written as it is, as JSON,
            // where Bolt's buildContentResponse would stringify the object again.
            ack.ack();
            response.writeHead(200, { 'content-type': 'application/json', 'content-length': prepared.length });
            response.end(prepared);
          } else {
            await reply(message);
          }
        } finally {
          // Once answered, the rest of the request's queries leave the ack lane.
          acknowledged();
        }
        // The rest of the listener waits for a slot (or is stored for later and stops here).
        if (afterAck) release = await afterAck.afterAnswer(body, message);
      },
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      // Listener failures were reported to the person and logged already (ReportedError), and a
      // DeferredRequest (one) is stored to run later.
      if (!(error instanceof ReportedError)) {
        this.options.logger.error('a Slack request failed before reaching a listener', { error: errorMessage(error) });
      }
      // An empty 200 unless a listener answered: Slack would show its own error for a 500.
      ack.ack();
      answer(response, 200);
    } finally {
      release?.();
    }
  }
}
