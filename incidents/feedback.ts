import type { Clock } from './clock';
import { DomainError } from './errors';
import type { Feedback, Participant } from './model';
import type { UnitOfWork } from './ports';

export const FEEDBACK_TEXT_LIMIT = 2000;

export interface FeedbackAnswer {
  incidentId: number;
  userId: string;
  rating: number;
  wentWell: string;
  toImprove: string;
  anonymous: boolean;
}

/** A comment as the commander and admins see it: no name when it was given anonymously. */
export interface FeedbackComment {
  authorId: string | null;
  rating: number;
  wentWell: string;
  toImprove: string;
}

export interface FeedbackSummary {
  /** People asked, and people who answered. */
  asked: number;
  answers: number;
  /** Mean rating (1–5), or null before the first answer. */
  averageRating: number | null;
  comments: FeedbackComment[];
}

/** Who is asked: everyone who took part, except observers who never said anything, and the app itself. */
export function feedbackRecipients(participants: Participant[], botUserId: string): string[] {
  return participants
    .filter((participant) => participant.userId !== botUserId)
    .filter((participant) => !(participant.roles.length === 1 && participant.roles[0] === 'observer' && participant.messageCount === 0))
    .map((participant) => participant.userId);
}

export function summarizeFeedback(asked: number, answers: Feedback[]): FeedbackSummary {
  const total = answers.reduce((sum, answer) => sum + answer.rating, 0);
  return {
    asked,
    answers: answers.length,
    averageRating: answers.length > 0 ? total / answers.length : null,
    comments: answers.map((answer) => ({
      authorId: answer.anonymous ? null : answer.userId,
      rating: answer.rating,
      wentWell: answer.wentWell,
      toImprove: answer.toImprove,
    })),
  };
}

/** The feedback form after close: ask each participant once, store each answer once. */
export class FeedbackService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
    private readonly botUserId: string,
  ) {}

  /** Who to ask about this incident (everyone who took part), whether or not asked before. */
  async recipients(incidentId: number): Promise<string[]> {
    return feedbackRecipients(await this.store.participants.list(incidentId), this.botUserId);
  }

  /** True for the first caller only: nobody is asked twice for the same incident, on any replica. */
  claimRequest(incidentId: number, userId: string): Promise<boolean> {
    return this.store.feedback.claimRequest(incidentId, userId, this.clock.now());
  }

  releaseRequest(incidentId: number, userId: string): Promise<void> {
    return this.store.feedback.releaseRequest(incidentId, userId);
  }

  answerProblem(
    answer: Pick<FeedbackAnswer, 'rating' | 'wentWell' | 'toImprove'>,
  ): Partial<Record<'rating' | 'went_well' | 'to_improve', string>> {
    const problems: Partial<Record<'rating' | 'went_well' | 'to_improve', string>> = {};
    if (!Number.isInteger(answer.rating) || answer.rating < 1 || answer.rating > 5) problems.rating = 'Pick a rating from 1 to 5.';
    if (answer.wentWell.trim().length > FEEDBACK_TEXT_LIMIT) problems.went_well = `Keep this within ${FEEDBACK_TEXT_LIMIT} characters.`;
    if (answer.toImprove.trim().length > FEEDBACK_TEXT_LIMIT) problems.to_improve = `Keep this within ${FEEDBACK_TEXT_LIMIT} characters.`;
    return problems;
  }

  /** Stores the answer of someone who was asked; a second answer is refused, the first kept. */
  async submit(answer: FeedbackAnswer): Promise<Feedback> {
    const problems = this.answerProblem(answer);
    if (Object.keys(problems).length > 0) throw new DomainError(Object.values(problems).join(' '), 'invalid_feedback');
    if (!(await this.store.feedback.wasRequested(answer.incidentId, answer.userId))) {
      throw new DomainError('Feedback on this incident is asked of the people who took part in it.', 'feedback_not_requested');
    }
    const feedback: Feedback = {
      ...answer,
      wentWell: answer.wentWell.trim(),
      toImprove: answer.toImprove.trim(),
      submittedAt: this.clock.now(),
    };
    if (!(await this.store.feedback.insert(feedback))) {
      throw new DomainError('You already gave feedback on this incident; thank you. The first answer is kept.', 'feedback_already_given');
    }
    return feedback;
  }

  async hasAnswered(incidentId: number, userId: string): Promise<boolean> {
    return (await this.store.feedback.list(incidentId)).some((feedback) => feedback.userId === userId);
  }

  async summary(incidentId: number): Promise<FeedbackSummary> {
    const [asked, answers] = await Promise.all([this.store.feedback.requestedUsers(incidentId), this.store.feedback.list(incidentId)]);
    return summarizeFeedback(asked.length, answers);
  }
}
