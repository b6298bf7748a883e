/**
 * What Slack sends to the app, sent by the sandbox: slash commands, Events API callbacks,
 * interactivity and options requests, each to Dispatch's paths and signed with the app's
 * signing secret exactly as Slack signs them (v0, HMAC-SHA256 over "v0:timestamp:body").
 */
import { createHmac, randomBytes } from 'node:crypto';

export const APP_PATHS = {
  command: '/api/v1/events/slack/command',
  event: '/api/v1/events/slack/event',
  action: '/api/v1/events/slack/action',
  menu: '/api/v1/events/slack/menu',
} as const;

export interface AppAnswer {
  status: number;
  text: string;
  /** The JSON body, when there is one. */
  json: Record<string, unknown> | undefined;
}

export class AppLink {
  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly team: { id: string; domain: string; appId: string },
  ) {}

  private sign(body: string, timestamp: number): string {
    return `v0=${createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  }

  /** POSTs a signed body; a request that fails is an answer with status 0, never an exception. */
  async post(path: string, body: string, contentType: string): Promise<AppAnswer> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(`${this.appUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': this.sign(body, timestamp),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let json: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = text ? JSON.parse(text) : undefined;
        json = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, text, json };
    } catch (error) {
      return { status: 0, text: error instanceof Error ? error.message : String(error), json: undefined };
    }
  }

  command(fields: Record<string, string>): Promise<AppAnswer> {
    const form = new URLSearchParams({
      token: 'sandbox-verification-token',
      team_id: this.team.id,
      team_domain: this.team.domain,
      api_app_id: this.team.appId,
      ...fields,
    });
    return this.post(APP_PATHS.command, form.toString(), 'application/x-www-form-urlencoded');
  }

  /** An Events API callback around `event`, with a fresh event_id as Slack gives each delivery. */
  event(event: Record<string, unknown>): Promise<AppAnswer> {
    const body = {
      token: 'sandbox-verification-token',
      team_id: this.team.id,
      api_app_id: this.team.appId,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.team.id, user_id: 'UBOT000001', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    return this.post(APP_PATHS.event, JSON.stringify(body), 'application/json');
  }

  /** block_actions, view_submission, view_closed, message_action: Slack's form with one `payload`. */
  interact(payload: Record<string, unknown>): Promise<AppAnswer> {
    const body = new URLSearchParams({
      payload: JSON.stringify({ token: 'sandbox-verification-token', api_app_id: this.team.appId, ...payload }),
    });
    return this.post(APP_PATHS.action, body.toString(), 'application/x-www-form-urlencoded');
  }

  /** block_suggestion, to the options load URL. */
  options(payload: Record<string, unknown>): Promise<AppAnswer> {
    const body = new URLSearchParams({
      payload: JSON.stringify({ token: 'sandbox-verification-token', api_app_id: this.team.appId, ...payload }),
    });
    return this.post(APP_PATHS.menu, body.toString(), 'application/x-www-form-urlencoded');
  }
}
