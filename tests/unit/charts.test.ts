import { computeMetrics, recentWeeks } from '../../incidents/metrics';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, pngSize, weeklyChartPng } from '../../reports/chart';
import { ChartLinks } from '../../reports/chartLinks';
import { NOW } from '../support/afterfireRecord';

const SECRET = 'test-signing-secret-0123456789abcdef';
const HOUR = 3_600_000;

describe('signed chart links', () => {
  const links = new ChartLinks(SECRET, 'https://dispatch.example.com/', HOUR);
  const tokenOf = (url: string) => url.slice('https://dispatch.example.com/charts/'.length);

  test('live under the public URL and are never the same twice', () => {
    const first = links.urlFor('U0ALICE001', NOW);
    const second = links.urlFor('U0ALICE001', NOW);
    expect(first).toMatch(/^https:\/\/dispatch\.example\.com\/charts\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.png$/);
    expect(first).not.toBe(second);
    expect(links.check(tokenOf(first), NOW)).toEqual({
      ok: true,
      grant: { userId: 'U0ALICE001', expiresAt: new Date(NOW.getTime() + HOUR) },
    });
  });

  test('expire after the TTL', () => {
    const token = tokenOf(links.urlFor('U0ALICE001', NOW));
    expect(links.check(token, new Date(NOW.getTime() + HOUR - 1)).ok).toBe(true);
    expect(links.check(token, new Date(NOW.getTime() + HOUR))).toEqual({ ok: false, reason: 'expired' });
  });

  test('refuse a changed user, a changed expiry, another key and junk', () => {
    const token = tokenOf(links.urlFor('U0ALICE001', NOW));
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'U0MALLORY1', e: NOW.getTime() + 1000 * HOUR, n: 'x' })).toString('base64url');
    expect(links.check(`${forged}.${signature}.png`, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(new ChartLinks('another-secret-0123456789abcdef00', 'https://x', HOUR).check(token, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(links.check(`${payload}.${signature.slice(0, -2)}AA.png`, NOW).ok).toBe(false);
    expect(links.check('../../etc/passwd', NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(links.check(`${payload}.png`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('the weekly chart', () => {
  test('is a PNG of the chart size at twice the pixels', async () => {
    const window = recentWeeks(NOW);
    const metrics = computeMetrics(
      [
        {
          id: 1,
          name: 'dispatch-1',
          type: 'Other',
          priority: 'High',
          status: 'active',
          reportedAt: new Date('2026-03-10T10:00:00Z'),
          stableAt: null,
          closedAt: null,
        },
      ],
      { ...window, priorities: ['Info', 'Low', 'Medium', 'High'], types: ['Other'] },
    );
    const png = await weeklyChartPng(metrics);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH * CHART_SCALE, height: CHART_HEIGHT * CHART_SCALE });
  });
});
