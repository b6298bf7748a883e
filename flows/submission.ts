import { isRepeatedSubmission } from '../incidents/submissions';

/**
 * A modal submission as a flow sees it. Slack is told "received" only once what the form says is
 * stored: a process killed before that gets no ack, and the person's Submit shows an error they
 * can retry, instead of an acknowledged form that was never recorded. The key makes a repeated
 * delivery (a retry, the same request on two replicas) take effect once.
 */
export interface Submission {
  /** Unique per submission (the view's id and hash). */
  key: string;
  /** Acknowledges the submission (closes the modal); called once, after the record is stored. */
  acknowledge(): Promise<void>;
}

/**
 * Records a submission with `record` (which claims `submission.key` in its transaction), then
 * acknowledges it. A repeated delivery is acknowledged and yields undefined: the first delivery
 * is doing the work. Without a submission (a command, a button) it just records.
 */
export async function recordSubmission<T>(
  submission: Submission | undefined,
  record: (key: string | undefined) => Promise<T>,
): Promise<T | undefined> {
  let recorded: T;
  try {
    recorded = await record(submission?.key);
  } catch (error) {
    if (submission && isRepeatedSubmission(error)) {
      await submission.acknowledge();
      return undefined;
    }
    throw error;
  }
  await submission?.acknowledge();
  return recorded;
}
