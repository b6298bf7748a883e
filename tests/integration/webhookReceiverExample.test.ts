import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookClient } from '../../webhooks/client';

/** docs/webhooks.md's receiver, run as written: it must take a signed webhook and refuse a forged one. */
const SECRET = 'docs-example-secret-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("docs/webhooks.md's Node receiver", () => {
  const directory = mkdtempSync(join(tmpdir(), 'webhook-example-'));
  const client = new WebhookClient(2_000);
  let child: ChildProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    const docs = readFileSync(join(__dirname, '../../docs/webhooks.md'), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    expect(code.split('\n').filter(Boolean).length).toBeLessThanOrEqual(20);
    writeFileSync(join(directory, 'receiver.js'), code);
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    child = spawn(process.execPath, [join(directory, 'receiver.js')], {
      env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: String(port) },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let tries = 0; tries < 100; tries += 1) {
      const probe = await client.send({ url, secret: 'x', eventId: 'probe', eventType: 'probe', body: '{}', attempt: 1 });
      if (probe.outcome !== 'retry') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the example receiver did not start');
  });

  afterAll(async () => {
    child?.kill();
    await client.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const body = JSON.stringify({
    id: 'evt_example',
    type: 'incident.closed',
    incident: { name: 'dispatch-7' },
    changes: { status: { old: 'stable', new: 'closed' } },
  });

  test('takes a webhook signed with its secret, once per event id', async () => {
    const request = { url, secret: SECRET, eventId: 'evt_example', eventType: 'incident.closed', body, attempt: 1 };
    await expect(client.send(request)).resolves.toEqual({ outcome: 'delivered', status: 204 });
    await expect(client.send({ ...request, attempt: 2 })).resolves.toEqual({ outcome: 'delivered', status: 204 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(output.trim().split('\n')).toEqual(['incident.closed dispatch-7 {"status":{"old":"stable","new":"closed"}}']);
  });

  test('refuses one signed with another secret', async () => {
    const result = await client.send({
      url,
      secret: 'not-the-secret-0123456789',
      eventId: 'evt_x',
      eventType: 'task.created',
      body,
      attempt: 1,
    });
    expect(result).toMatchObject({ outcome: 'rejected', status: 401 });
  });
});
