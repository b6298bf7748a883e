/**
 * The page's HTTP routes, served by the workspace on 127.0.0.1: the page, a Server-Sent Events
 * stream that says "something changed", the viewer's screen as HTML pieces, and one POST per
 * thing a person does. A failure is answered with a plain sentence, never a stack trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Container, EnteredValues, People } from '../people';
import type { SlackWorkspace } from '../workspace';
import { renderScreen, type Shortcut } from './screen';
import { type ShellOptions, shellHtml } from './shell';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export interface PageOptions extends ShellOptions {
  shortcuts: Shortcut[];
}

export function installPage(workspace: SlackWorkspace, people: People, options: PageOptions): void {
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  // Many changes arrive together (a channel, its invites, its pins): one nudge per 30 ms.
  workspace.onChange(() => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      for (const res of streams) res.write('data: changed\n\n');
    }, 30);
  });

  const actions: Record<string, (viewer: string, body: Json) => Promise<unknown>> = {
    message: (viewer, body) => people.postMessage(viewer, str(body.channel), str(body.text)),
    command: (viewer, body) => people.runCommand(viewer, str(body.channel), str(body.command), str(body.text)),
    action: (viewer, body) =>
      people.act(
        viewer,
        body.container as Container,
        str(body.blockId),
        str(body.actionId),
        body.value,
        (isRecord(body.values) ? body.values : {}) as EnteredValues,
      ),
    submit: (viewer, body) => people.submit(viewer, str(body.viewId), (isRecord(body.values) ? body.values : {}) as EnteredValues),
    close: (viewer, body) => people.close(viewer, str(body.viewId)),
    shortcut: (viewer, body) => people.shortcut(viewer, str(body.channel), str(body.ts), str(body.callbackId)),
    reaction: (viewer, body) => people.react(viewer, str(body.channel), str(body.ts), str(body.name)),
    join: (viewer, body) => people.join(viewer, str(body.channel)),
    leave: (viewer, body) => people.leave(viewer, str(body.channel)),
    home: (viewer) => people.openHome(viewer),
    dismiss: async (viewer, body) => {
      const index = workspace.ephemerals.findIndex((e) => e.user === viewer && e.ts === str(body.ts));
      if (index >= 0) workspace.ephemerals.splice(index, 1);
      workspace.changed({ kind: 'channel', channel: str(body.channel) });
    },
    options: async (viewer, body) => {
      const options = await people.loadOptions(viewer, str(body.viewId), str(body.blockId), str(body.actionId), str(body.value));
      return {
        options: options.map((o) => ({ value: str(o.value), text: isRecord(o.text) ? str(o.text.text) : str(o.value) })),
      };
    },
  };

  workspace.addRoute(async (req: IncomingMessage, url: URL, rawBody: string, res: ServerResponse) => {
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(shellHtml(options));
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/ui/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      streams.add(res);
      // The response closes when the browser goes; the request's own 'close' fires once its (empty) body is read.
      res.on('close', () => streams.delete(res));
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/ui/screen') {
      const viewer = url.searchParams.get('as') ?? '';
      if (!workspace.users.has(viewer)) {
        sendJson(res, 400, { error: 'Pick someone to act as.' });
        return true;
      }
      const screen = renderScreen({
        workspace,
        viewer,
        at: url.searchParams.get('at') ?? 'home',
        shortcuts: options.shortcuts,
        timelineEmoji: people.timelineEmoji,
        notices: people.notices,
        modals: people.modals(viewer),
        now: new Date(),
      });
      sendJson(res, 200, screen);
      return true;
    }
    const match = /^\/ui\/(\w+)$/.exec(url.pathname);
    if (req.method === 'POST' && match && actions[match[1]]) {
      let body: Json;
      try {
        const parsed: unknown = JSON.parse(rawBody || '{}');
        body = isRecord(parsed) ? parsed : {};
      } catch {
        sendJson(res, 400, { error: 'That request was not JSON.' });
        return true;
      }
      const viewer = str(body.as);
      if (!workspace.users.has(viewer)) {
        sendJson(res, 400, { error: 'Pick someone to act as.' });
        return true;
      }
      try {
        const result = await actions[match[1]](viewer, body);
        sendJson(res, 200, isRecord(result) ? result : { ok: true });
      } catch (error) {
        sendJson(res, 409, { error: error instanceof Error ? error.message : String(error) });
      }
      return true;
    }
    return false;
  });
}
