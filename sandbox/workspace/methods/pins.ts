/** pins.add, pins.remove, pins.list. */
import { argString, fail } from '../args';
import type { MethodTable, WorkspaceState } from '../state';

export function registerPinMethods(h: MethodTable, ws: WorkspaceState): void {
  h.set('pins.add', (args) => {
    const channel = ws.channel(args);
    ws.requireWritable(channel);
    const message = ws.message(channel, argString(args, 'timestamp'));
    if (message.pinned) fail('already_pinned');
    message.pinned = true;
    ws.changed({ kind: 'channel', channel: channel.id });
    return {};
  });
  h.set('pins.remove', (args) => {
    const channel = ws.channel(args);
    const message = ws.message(channel, argString(args, 'timestamp'));
    if (!message.pinned) fail('no_pin');
    message.pinned = false;
    ws.changed({ kind: 'channel', channel: channel.id });
    return {};
  });
  h.set('pins.list', (args) => {
    const channel = ws.channel(args);
    const items = ws
      .messagesIn(channel.id)
      .filter((m) => m.pinned)
      .map((m) => ({
        type: 'message',
        channel: channel.id,
        created: Number(m.ts.split('.')[0]),
        created_by: ws.botUserId,
        message: ws.slackMessage(m),
      }));
    return { items };
  });
}
