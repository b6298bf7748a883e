/** The local Slack workspace's records, as tests and the sandbox page read them. */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Clock time (Date.now() unless options.now is given) when the request arrived. */
  at: number;
  /** The JSON body the workspace answered with. */
  response: Record<string, unknown>;
}

export interface ResponseUrlPost {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  title?: string;
  email?: string;
  is_bot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_archived: boolean;
  members: Set<string>;
  topic: string;
  purpose: string;
  created: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  user?: string;
  thread_ts?: string;
  pinned: boolean;
  updates: number;
  deleted: boolean;
}

/** A message only one person sees (chat.postEphemeral, or an ephemeral response_url answer). */
export interface FakeEphemeral {
  channel: string;
  ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  /** The response_url that may replace or delete it, when it came from one. */
  responseUrl?: string;
}

/** A modal or Home tab view as the workspace last answered it. */
export interface FakeView {
  id: string;
  type: string;
  hash: string;
  external_id?: string;
  /** Set for Home tabs published with views.publish. */
  user_id?: string;
  /** For modals: the person whose trigger_id opened it (when the trigger said who). */
  opened_by?: string;
  /** For pushed modals: the view below this one in the stack. */
  previous_view_id?: string;
  root_view_id: string;
  view: Record<string, unknown>;
  updates: number;
  /** Inline errors by block_id, from a view_submission answered with response_action "errors". */
  errors?: Record<string, string>;
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  type: string;
  link: string;
  emoji?: string;
  date_created: number;
}

export interface WorkspaceOptions {
  botToken?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  teamId?: string;
  teamDomain?: string;
  /** Socket Mode: the app-level token apps.connections.open accepts, and the WebSocket URL it returns. */
  appToken?: string;
  socketModeUrl?: string;
  /**
   * When false (default), any id shaped like a Slack user id (U.../W...) is accepted as a user
   * even if addUser was never called, so tests stay light. When true, only known users exist.
   */
  strictUsers?: boolean;
  /** Clock used for `at`, message ts, trigger expiry and response_url expiry. Default Date.now. */
  now?: () => number;
  /** Port to listen on (127.0.0.1 only); 0, the default, picks a free one. */
  port?: number;
}

/** What changed, for a live page: which channel (or Home/modal of which user). */
export type WorkspaceChange =
  | { kind: 'channel'; channel: string }
  | { kind: 'channels' }
  /** Someone joined or left a channel through the Web API (invite, kick): Slack tells the app. */
  | { kind: 'member'; channel: string; user: string; joined: boolean; inviter?: string }
  | { kind: 'view'; user?: string; viewId: string }
  | { kind: 'home'; user: string };

/** A file uploaded through files.uploadV2 (getUploadURLExternal, the POST, completeUploadExternal). */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title: string;
  /** What was POSTed to the upload URL; null until then. */
  content: string | null;
  /** Channels it was shared in by files.completeUploadExternal. */
  channels: string[];
  initialComment: string | null;
}
