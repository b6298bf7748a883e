import type { KnownBlock, ModalView } from '@slack/types';
import { FEEDBACK_TEXT_LIMIT, type FeedbackSummary } from '../../incidents/feedback';
import type { Incident } from '../../incidents/model';
import { ACTIONS, VIEWS } from './ids';
import { checkboxesInput, modal, option, selectInput, textInput } from './inputs';
import type { SlackMessage } from './message';
import { context, escapeText, mention, plain, section, truncate } from './text';

const RATING_LABELS: Record<number, string> = {
  1: '1 – it went badly',
  2: '2',
  3: '3 – it went all right',
  4: '4',
  5: '5 – it went very well',
};

export const ANONYMOUS_OPTION = 'anonymous';

/** The DM after close: a thank-you and one button that opens the short form. */
export function feedbackRequestMessage(incident: Incident): SlackMessage {
  return {
    text: `How did ${incident.name} go for you?`,
    blocks: [
      section(
        `:wave: *${escapeText(incident.name)}* (${escapeText(truncate(incident.title, 200))}) is closed. Thank you for taking part. How did it go for you? It takes a minute.`,
      ),
      {
        type: 'actions',
        block_id: 'feedback_actions',
        elements: [
          { type: 'button', text: plain('Give feedback'), action_id: ACTIONS.openFeedback, value: String(incident.id), style: 'primary' },
        ],
      },
      context('The commander and the Dispatch admins see the answers; tick "anonymous" in the form and your name is left out.'),
    ],
  };
}

/** The feedback form: a rating, what went well, what to improve, anonymous or not. */
export function feedbackModal(incident: Incident): ModalView {
  return modal({
    callbackId: VIEWS.feedback,
    title: 'Incident feedback',
    submit: 'Send',
    privateMetadata: { incidentId: incident.id },
    blocks: [
      context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}`),
      selectInput(
        'rating',
        'How did it go, from 1 to 5?',
        [1, 2, 3, 4, 5].map((rating) => option(String(rating), RATING_LABELS[rating])),
      ),
      textInput('went_well', 'What went well', { optional: true, multiline: true, maxLength: FEEDBACK_TEXT_LIMIT }),
      textInput('to_improve', 'What to improve', { optional: true, multiline: true, maxLength: FEEDBACK_TEXT_LIMIT }),
      checkboxesInput('anonymous', 'Your name', [option(ANONYMOUS_OPTION, 'Give this feedback anonymously')]),
    ],
  });
}

export function feedbackThanksMessage(incident: Incident): SlackMessage {
  return {
    text: `Thank you for your feedback on ${incident.name}`,
    blocks: [section(`:pray: Thank you for your feedback on *${escapeText(incident.name)}*.`)],
  };
}

/** What the commander and admins see of an incident's feedback (Home tab); anonymous answers stay unnamed. */
export function feedbackSummaryBlocks(incident: Incident, summary: FeedbackSummary, maxComments = 5): KnownBlock[] {
  const average = summary.averageRating === null ? 'no answers yet' : `average *${summary.averageRating.toFixed(1)}* of 5`;
  const lines = summary.comments.slice(0, maxComments).map((comment) => {
    const who = comment.authorId ? mention(comment.authorId) : '_anonymous_';
    const parts = [
      comment.wentWell ? `went well: ${escapeText(truncate(comment.wentWell, 200))}` : '',
      comment.toImprove ? `to improve: ${escapeText(truncate(comment.toImprove, 200))}` : '',
    ].filter(Boolean);
    return `• ${comment.rating}/5, ${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
  });
  const more = summary.comments.length - lines.length;
  return [
    section(
      `*${escapeText(incident.name)}* feedback: ${average} (${summary.answers} of ${summary.asked} answered)${lines.length > 0 ? `\n${lines.join('\n')}` : ''}${
        more > 0 ? `\n_and ${more} more in the postmortem draft_` : ''
      }`,
    ),
  ];
}
