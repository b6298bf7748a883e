import type { KnownBlock } from '@slack/types';

/** A message as the renderers build it: fallback text for notifications plus Block Kit. */
export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** A command's answer in its ack, seen only by whoever ran the command. */
export type EphemeralAnswer = SlackMessage & { response_type: 'ephemeral' };

export function ephemeral(message: SlackMessage): EphemeralAnswer {
  return { response_type: 'ephemeral', ...message };
}

/** A Slack step that did not happen, in words for the person who asked. */
export interface StepFailure {
  step: string;
  problem: string;
  /** Slack was unreachable or failing rather than refusing: the step is retried later. */
  transient?: boolean;
}
