/**
 * The tests' fake Slack Web API is the sandbox's local workspace (sandbox/workspace): one
 * implementation of Slack's behaviour, split by method family there. This module keeps the
 * names the tests have always imported.
 */
import { SlackWorkspace, type WorkspaceOptions } from '../../sandbox/workspace';

export type {
  FakeBookmark,
  FakeChannel,
  FakeEphemeral,
  FakeMessage,
  FakeUser,
  FakeView,
  RecordedCall,
  ResponseUrlPost,
} from '../../sandbox/workspace';
export { messageBlockErrors } from '../../sandbox/workspace';

export type FakeSlackOptions = WorkspaceOptions;

/** A real HTTP server on 127.0.0.1 answering as Slack's Web API does; see sandbox/workspace/server.ts. */
export const FakeSlack = SlackWorkspace;
export type FakeSlack = SlackWorkspace;
