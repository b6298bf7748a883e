import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a chart link stands for: whose figures (restricted incidents differ per person), until when. */
export interface ChartGrant {
  userId: string;
  expiresAt: Date;
}

export type ChartLinkCheck = { ok: true; grant: ChartGrant } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export const CHART_PATH_PREFIX = '/charts/';

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * Signed, expiring chart URLs. Slack fetches Home tab images from the public URL without any
 * credential, so the URL itself is the credential: an HMAC-SHA256 over who and until when,
 * plus 16 random bytes so two links are never the same. The key is derived from the signing
 * secret, so there is no extra secret to manage and a rotated secret revokes every link.
 */
export class ChartLinks {
  private readonly key: Buffer;

  constructor(
    signingSecret: string,
    private readonly publicUrl: string,
    private readonly ttlMs: number,
  ) {
    this.key = createHmac('sha256', signingSecret).update('dispatch chart links v1').digest();
  }

  /** The image URL for one person's chart, valid for the TTL from `now`. */
  urlFor(userId: string, now: Date): string {
    const payload = base64url(JSON.stringify({ u: userId, e: now.getTime() + this.ttlMs, n: randomBytes(16).toString('base64url') }));
    return `${this.publicUrl.replace(/\/+$/, '')}${CHART_PATH_PREFIX}${payload}.${this.sign(payload)}.png`;
  }

  /** Checks the token part of a chart path (`<payload>.<signature>.png`). */
  check(token: string, now: Date): ChartLinkCheck {
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.png$/.exec(token);
    if (!match) return { ok: false, reason: 'malformed' };
    const [, payload, signature] = match;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
    let grant: { u?: unknown; e?: unknown };
    try {
      grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof grant.u !== 'string' || typeof grant.e !== 'number') return { ok: false, reason: 'malformed' };
    if (grant.e <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, grant: { userId: grant.u, expiresAt: new Date(grant.e) } };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
