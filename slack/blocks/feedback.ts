import type { SlackMessage } from './message';
import { section } from './text';

/** A private answer that something could not be done and what to do instead. */
export function problemMessage(text: string): SlackMessage {
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** A private confirmation or note. */
export function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** Something failed on our side: the person gets a reference to quote, never a stack trace. */
export function unexpectedErrorMessage(reference: string): SlackMessage {
  const text = `Something went wrong on our side, and what was already recorded is safe. Try again; if it keeps failing, give your Dispatch admin the reference ${reference}.`;
  return problemMessage(text);
}
