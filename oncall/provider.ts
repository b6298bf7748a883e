import { DomainError } from '../incidents/errors';

/**
 * On-call providers: where Dispatch learns who is on call for a service, and (for providers
 * that can) how to page them. No Slack here: a provider names people by Slack user id or by
 * email, and the engagement use case finds their Slack accounts.
 */

/** A service someone can be on call for (a schedule entry, a PagerDuty service). */
export interface OncallService {
  /** The provider's id: the service's name in a schedule file, a PagerDuty service id. */
  id: string;
  name: string;
}

/** One person on call now, as the provider knows them. */
export interface OncallPerson {
  /** How the provider calls them (a name, an email, a Slack user id), for messages. */
  label: string;
  /** Known when the schedule file lists the Slack user id itself. */
  slackUserId?: string;
  /** Matched to a Slack user with users.lookupByEmail. */
  email?: string;
}

/** PagerDuty's Events API v2 severities. */
export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

/** An alert that pages whoever is on call for a service. */
export interface PageRequest {
  serviceId: string;
  /** Repeated pages for one incident add to the same alert instead of opening another. */
  dedupKey: string;
  summary: string;
  source: string;
  severity: PageSeverity;
  details: Record<string, string>;
  /** A link back to the incident (its Slack channel). */
  link?: { href: string; text: string };
}

export interface OncallProvider {
  /** For messages: "the on-call schedule", "PagerDuty". */
  readonly name: string;
  /** Whether `page` exists: only then does the modal offer "page them". */
  readonly canPage: boolean;
  listServices(): Promise<OncallService[]>;
  /** The service with this id, or undefined when the provider has none. */
  findService(serviceId: string): Promise<OncallService | undefined>;
  /** Who is on call for the service at `at`; empty when nobody is. Unknown services throw UnknownServiceError. */
  whoIsOnCall(serviceId: string, at: Date): Promise<OncallPerson[]>;
  page?(request: PageRequest): Promise<void>;
}

/**
 * The provider could not answer (down, refused our token, rate limited...). The message is
 * for the person who asked; nothing was engaged.
 */
export class OncallProviderError extends DomainError {
  constructor(
    message: string,
    code: string,
    readonly status?: number,
  ) {
    super(message, code);
    this.name = 'OncallProviderError';
  }
}

/** The service picked does not exist (any more) at the provider. */
export class UnknownServiceError extends DomainError {
  constructor(providerName: string, serviceId: string) {
    const sentence = `${providerName} has no service "${serviceId}" (any more). Pick another one.`;
    super(sentence.charAt(0).toUpperCase() + sentence.slice(1), 'unknown_oncall_service');
    this.name = 'UnknownServiceError';
  }
}
