/** The local Slack workspace: Web API, response_urls, Block Kit checks. See server.ts. */
export { attachmentErrors, LIMITS, messageBlockErrors, viewErrors } from './blockKit';
export { answerViewSubmission, closeModal, modalStack, type SubmissionOutcome } from './methods/views';
export { type ExtraRoute, type ResponseUrlContext, SlackWorkspace } from './server';
export type { WorkspaceSnapshot } from './state';
export type {
  FakeBookmark,
  FakeChannel,
  FakeEphemeral,
  FakeMessage,
  FakeUser,
  FakeView,
  RecordedCall,
  ResponseUrlPost,
  WorkspaceChange,
  WorkspaceOptions,
} from './types';
