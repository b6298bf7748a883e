import { SlackCallError } from '../../slack/errors';

/**
 * Redraws a message through the response_url it came with. False when Slack no longer accepts
 * that URL (over 30 minutes old, or used 5 times): then the caller confirms another way.
 */
export async function redrawnInPlace(redraw: () => Promise<void>): Promise<boolean> {
  try {
    await redraw();
    return true;
  } catch (error) {
    if (error instanceof SlackCallError) return false;
    throw error;
  }
}
