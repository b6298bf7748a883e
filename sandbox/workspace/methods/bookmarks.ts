/** bookmarks.add, bookmarks.list. */
import { argString, fail, required } from '../args';
import type { MethodTable, WorkspaceState } from '../state';
import type { FakeBookmark } from '../types';

export function registerBookmarkMethods(h: MethodTable, ws: WorkspaceState): void {
  h.set('bookmarks.add', (args) => {
    const channel = ws.channel(args, 'channel_id');
    ws.requireWritable(channel);
    const title = required(args, 'title');
    const type = required(args, 'type');
    if (type !== 'link') fail('invalid_bookmark_type');
    const link = argString(args, 'link');
    if (!link || !/^https?:\/\//.test(link)) fail('invalid_link');
    const emoji = argString(args, 'emoji');
    const bookmark: FakeBookmark = {
      id: ws.newId('Bk'),
      channel_id: channel.id,
      title,
      type,
      link,
      ...(emoji !== undefined ? { emoji } : {}),
      date_created: ws.nowSeconds(),
    };
    ws.bookmarks.push(bookmark);
    ws.changed({ kind: 'channel', channel: channel.id });
    return {
      bookmark: { ...bookmark, date_updated: bookmark.date_created, rank: 'U', last_updated_by_user_id: ws.botUserId, app_id: ws.appId },
    };
  });
  h.set('bookmarks.list', (args) => {
    const channel = ws.channel(args, 'channel_id');
    return { bookmarks: ws.bookmarks.filter((b) => b.channel_id === channel.id) };
  });
}
