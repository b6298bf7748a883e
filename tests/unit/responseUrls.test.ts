import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackCallError } from '../../slack/errors';
import { ResponseUrlPoster } from '../../slack/responseUrls';

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

/** A response_url endpoint on 127.0.0.1 that counts requests and open sockets. */
async function endpoint(answer: Answer) {
  const seen = { requests: 0, openSockets: 0, mostSockets: 0 };
  const server: Server = createServer((request, response) => {
    seen.requests += 1;
    request.resume();
    request.on('end', () => answer(request, response));
  });
  server.on('connection', (socket) => {
    seen.openSockets += 1;
    seen.mostSockets = Math.max(seen.mostSockets, seen.openSockets);
    socket.on('close', () => {
      seen.openSockets -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    url: (path: string) => `${base}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const payload = { response_type: 'ephemeral' as const, replace_original: false, text: 'Participants' };
const limits = { connectionsPerOrigin: 4, connectTimeoutMs: 1_000, headersTimeoutMs: 1_000, totalTimeoutMs: 400 };

describe('response_url posts', () => {
  let poster: ResponseUrlPoster;
  afterEach(() => poster.close());

  it('go over a bounded number of sockets however many are sent at once, each answer read to the end', async () => {
    const slow = await endpoint((_request, response) => setTimeout(() => response.end('ok'.repeat(1000)), 20));
    // Waiting for a free socket counts against the budget: a generous one here, the bound is the point.
    poster = new ResponseUrlPoster({ ...limits, totalTimeoutMs: 20_000 });
    await Promise.all(Array.from({ length: 40 }, (_, index) => poster.post(slow.url(`/response/R${index}`), payload)));
    expect(slow.seen.requests).toBe(40);
    expect(slow.seen.mostSockets).toBeLessThanOrEqual(4);
    await slow.stop();
  });

  it('give up after the time budget when Slack does not answer', async () => {
    const silent = await endpoint(() => undefined);
    poster = new ResponseUrlPoster(limits);
    const started = Date.now();
    const error = await poster.post(silent.url('/response/R1'), payload).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackCallError);
    expect((error as SlackCallError).slackCode).toBe('request_failed');
    expect(Date.now() - started).toBeLessThan(3_000);
    await silent.stop();
  });

  it('are not sent a second time to a response_url that failed', async () => {
    const used = await endpoint((_request, response) => {
      response.writeHead(404).end('used_url');
    });
    poster = new ResponseUrlPoster(limits);
    const url = used.url('/response/R1');
    const first = await poster.post(url, payload).catch((caught: unknown) => caught);
    expect((first as SlackCallError).slackCode).toBe('http_404');
    expect(poster.hasFailed(url)).toBe(true);
    const second = await poster.post(url, payload).catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(SlackCallError);
    expect(used.seen.requests).toBe(1);
    // Another request's response_url is not affected.
    expect(poster.hasFailed(used.url('/response/R2'))).toBe(false);
    await used.stop();
  });
});
