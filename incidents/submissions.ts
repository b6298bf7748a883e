import { DomainError } from './errors';
import type { Repositories } from './ports';

/** The code of the refusal a repeated delivery of one form submission gets. */
export const ALREADY_SUBMITTED = 'already_submitted';

/**
 * Takes in a form submission's key inside the transaction that records it: the same submission
 * delivered twice (a retry, two replicas) is refused the second time, so it takes effect once.
 */
export async function claimSubmission(tx: Repositories, key: string | undefined, now: Date): Promise<void> {
  if (key && !(await tx.submissions.claim(key, now))) {
    throw new DomainError('This form was already submitted; nothing changed.', ALREADY_SUBMITTED);
  }
}

export function isRepeatedSubmission(error: unknown): boolean {
  return error instanceof DomainError && error.code === ALREADY_SUBMITTED;
}
