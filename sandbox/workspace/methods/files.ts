/**
 * files.uploadV2 as @slack/web-api performs it: files.getUploadURLExternal (a URL and a file id),
 * a POST of the bytes to that URL, then files.completeUploadExternal (shares the file in a channel).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { argInt, fail, isRecord, required } from '../args';
import type { MethodTable, WorkspaceState } from '../state';
import type { FakeFile } from '../types';

const UPLOAD_PATH = '/upload/v1/';

/** The content of a multipart body's first part, or the body itself when it is not multipart. */
function uploadedContent(contentType: string | undefined, rawBody: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return rawBody;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const part = rawBody.split(marker)[1] ?? '';
  const start = part.indexOf('\r\n\r\n');
  return start === -1 ? '' : part.slice(start + 4).replace(/\r\n$/, '');
}

export function registerFileMethods(h: MethodTable, ws: WorkspaceState, baseUrl: () => string): void {
  h.set('files.getUploadURLExternal', (args) => {
    const filename = required(args, 'filename');
    const length = argInt(args, 'length');
    if (length === undefined || length <= 0) fail('invalid_arguments');
    const file: FakeFile = { id: ws.newId('F'), filename, length, title: filename, content: null, channels: [], initialComment: null };
    ws.files.push(file);
    return { upload_url: `${baseUrl()}${UPLOAD_PATH}${file.id}`, file_id: file.id };
  });
  h.set('files.completeUploadExternal', (args) => {
    const raw = args.files;
    const entries: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (!Array.isArray(entries) || entries.length === 0) fail('invalid_arguments');
    const channelId = typeof args.channel_id === 'string' ? args.channel_id : undefined;
    const channel = channelId ? ws.channel(args, 'channel_id') : undefined;
    if (channel) ws.requireWritable(channel);
    const completed = entries.map((entry) => {
      const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : '';
      const file = ws.files.find((candidate) => candidate.id === id);
      if (!file) fail('file_not_found');
      if (file.content === null) fail('file_upload_not_complete');
      if (isRecord(entry) && typeof entry.title === 'string') file.title = entry.title;
      if (channel) file.channels.push(channel.id);
      if (typeof args.initial_comment === 'string') file.initialComment = args.initial_comment;
      return { id: file.id, title: file.title, name: file.filename };
    });
    return { files: completed };
  });
}

/** The upload POST itself (not under /api/): records the bytes of a file id handed out above. */
export function fileUploadRoute(ws: WorkspaceState) {
  return (req: IncomingMessage, url: URL, rawBody: string, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || !url.pathname.startsWith(UPLOAD_PATH)) return false;
    const file = ws.files.find((candidate) => candidate.id === url.pathname.slice(UPLOAD_PATH.length));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
      return true;
    }
    file.content = uploadedContent(req.headers['content-type'], rawBody);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${Buffer.byteLength(file.content)}`);
    return true;
  };
}
