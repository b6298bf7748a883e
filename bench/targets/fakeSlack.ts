/**
 * The fake Slack Web API (tests/support/fakeSlack.ts) in a process of its own, behind a small
 * proxy that adds what a benchmark needs and the tests do not: a delay on every answer
 * (Web API calls and response_url posts alike) and per-method rate limits answered with 429
 * and Retry-After, as Slack does. The parent drives it over IPC.
 */
import { createServer, Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlack } from '../../tests/support/fakeSlack';
import { serveIpc } from '../ipc';

interface Bucket {
  perSecond: number;
  tokens: number;
  refilledAt: number;
}

async function main(): Promise<void> {
  const fake = await FakeSlack.start({ botToken: process.env.BENCH_BOT_TOKEN, appId: process.env.BENCH_APP_ID });
  const upstream = new URL(fake.apiUrl);
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  let latencyMs = 0;
  const buckets = new Map<string, Bucket>();
  let rateLimited = 0;

  /** True when `method` may be answered now; a token bucket refilled continuously. */
  const take = (method: string): boolean => {
    const bucket = buckets.get(method);
    if (!bucket) return true;
    const now = performance.now();
    bucket.tokens = Math.min(bucket.perSecond, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const outbound = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outbound.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    outbound.end(body);
  };

  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const method = path.startsWith('/api/') ? path.slice('/api/'.length).split('?')[0] : 'response_url';
      const answer = () => {
        if (!take(method)) {
          rateLimited += 1;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"ok":false,"error":"ratelimited"}');
          return;
        }
        forward(req, body, res);
      };
      if (latencyMs > 0) setTimeout(answer, latencyMs);
      else answer();
    });
  });
  proxy.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;

  const ephemeralsIn = (channel: string) => {
    const perUser = new Map<string, number>();
    for (const call of fake.calls) {
      if (call.method !== 'chat.postEphemeral' || call.args.channel !== channel || call.response.ok !== true) continue;
      const user = String(call.args.user);
      perUser.set(user, (perUser.get(user) ?? 0) + 1);
    }
    const counts = [...perUser.values()];
    return { people: perUser.size, total: counts.reduce((sum, n) => sum + n, 0), most: Math.max(0, ...counts) };
  };

  serveIpc(
    {
      setLatency: ({ ms }: { ms: number }) => {
        latencyMs = ms;
      },
      setRateLimit: ({ method, perSecond }: { method: string; perSecond: number }) => {
        if (perSecond > 0) buckets.set(method, { perSecond, tokens: perSecond, refilledAt: performance.now() });
        else buckets.delete(method);
      },
      issueTriggerId: () => fake.issueTriggerId(),
      lastOpenedView: () => fake.callsTo('views.open').at(-1)?.args.view,
      createdChannels: () => fake.callsTo('conversations.create').map((call) => call.response.channel as { id: string; name: string }),
      addMembers: ({ channel, users }: { channel: string; users: string[] }) => {
        const found = fake.channels.get(channel);
        if (!found) throw new Error(`no channel ${channel}`);
        for (const user of users) found.members.add(user);
      },
      ephemeralsIn: ({ channel }: { channel: string }) => ephemeralsIn(channel),
      counters: () => {
        const byMethod: Record<string, number> = {};
        for (const call of fake.calls) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
        return { byMethod, responseUrlPosts: fake.responseUrlPosts.length, rateLimited };
      },
      /** Forgets recorded calls and posts (they only grow), keeping channels and users. */
      forget: () => {
        fake.calls.length = 0;
        fake.responseUrlPosts.length = 0;
        rateLimited = 0;
      },
    },
    port,
  );
  process.on('SIGTERM', () => {
    proxy.closeAllConnections();
    proxy.close();
    void fake.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
