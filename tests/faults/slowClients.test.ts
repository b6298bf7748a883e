import { connect, type Socket } from 'node:net';
import { readSample } from '../support/payloads';
import { signedHeaders } from '../support/signing';
import { SIGNING_SECRET, TestApp } from '../support/testApp';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Trickler {
  socket: Socket;
  opened: number;
  closedAfterMs?: number;
}

/** Opens a connection that sends `text` one byte a second, recording when the server cuts it. */
function trickle(port: number, text: string): Trickler {
  const socket = connect(port, '127.0.0.1');
  const trickler: Trickler = { socket, opened: Date.now() };
  let position = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || position >= text.length) return;
    socket.write(text[position] ?? '');
    position += 1;
  }, 1_000);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(timer);
    trickler.closedAfterMs = Date.now() - trickler.opened;
  });
  return trickler;
}

describe('slow clients', () => {
  let app: TestApp;
  afterEach(async () => {
    await app.stop();
  });

  test('40 connections trickling headers or a body at 1 byte/s are all cut within a few seconds, and Slack is still served meanwhile', async () => {
    app = await TestApp.start();
    const port = app.running.port as number;
    const body = readSample('url_verification.json');
    const headers = Object.entries({ ...signedHeaders(SIGNING_SECRET, body), 'content-type': 'application/json' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const slowHeaders = `POST /api/v1/events/slack/event HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Length: ${body.length}\r\n\r\n${body}`;
    const started = Date.now();
    const tricklers = [
      ...Array.from({ length: 20 }, () => trickle(port, slowHeaders)),
      // Headers complete at once, then the body a byte a second.
      ...Array.from({ length: 20 }, () => {
        const trickler = trickle(port, body);
        trickler.socket.write(
          `POST /api/v1/events/slack/event HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Length: ${body.length}\r\n\r\n`,
        );
        return trickler;
      }),
    ];

    // While they trickle, a real Slack request is answered at once.
    await sleep(1_000);
    const during = await app.post('/api/v1/events/slack/event', body, { contentType: 'application/json' });
    expect(during.status).toBe(200);
    expect(during.elapsedMs).toBeLessThan(1_000);

    while (tricklers.some((trickler) => trickler.closedAfterMs === undefined) && Date.now() - started < 20_000) await sleep(100);
    const cutAfter = tricklers.map((trickler) => trickler.closedAfterMs ?? Number.POSITIVE_INFINITY);
    process.stdout.write(`slow clients: 40 trickling connections cut after at most ${Math.max(...cutAfter)} ms\n`);
    for (const trickler of tricklers) trickler.socket.destroy();
    // Headers must be in within 3 s and the request within 5 s (HTTP_REQUEST_TIMEOUT), checked every second.
    expect(Math.max(...cutAfter)).toBeLessThan(10_000);
  });

  test('connections beyond HTTP_MAX_CONNECTIONS_PER_CLIENT from one client are closed at once', async () => {
    app = await TestApp.start({ env: { HTTP_MAX_CONNECTIONS_PER_CLIENT: '10' } });
    const port = app.running.port as number;
    const sockets = Array.from({ length: 25 }, () => trickle(port, ''));
    await sleep(1_000);
    const closedAtOnce = sockets.filter((trickler) => trickler.closedAfterMs !== undefined && trickler.closedAfterMs < 1_000);
    expect(closedAtOnce).toHaveLength(15);
    for (const trickler of sockets) trickler.socket.destroy();
    await sleep(200);
    // Once they are gone, the client is served again.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
