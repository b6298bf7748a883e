import type { ViewOutput } from '@slack/bolt';
import type { Submission } from '../flows/submission';
import { INPUT_ACTION } from '../slack/blocks/ids';
import type { ViewSubmissionArgs } from './types';

type StateValues = ViewOutput['state']['values'];

/** Reads what a person entered in our modals (block_id = field, action_id = INPUT_ACTION). */
export class ViewAnswers {
  constructor(private readonly values: StateValues) {}

  private state(blockId: string) {
    return this.values[blockId]?.[INPUT_ACTION];
  }

  text(blockId: string): string {
    return this.state(blockId)?.value ?? '';
  }

  option(blockId: string): string | null {
    return this.state(blockId)?.selected_option?.value ?? null;
  }

  /** Values ticked in a checkboxes input. */
  options(blockId: string): string[] {
    return (this.state(blockId)?.selected_options ?? []).map((selected) => selected.value);
  }

  user(blockId: string): string | null {
    return this.state(blockId)?.selected_user ?? null;
  }

  /** A datepicker's day (YYYY-MM-DD), or null when none was picked. */
  date(blockId: string): string | null {
    return this.state(blockId)?.selected_date ?? null;
  }

  users(blockId: string): string[] {
    return this.state(blockId)?.selected_users ?? [];
  }
}

/** Parses private_metadata we wrote; a tampered or foreign value yields undefined, not a crash. */
export function readMetadata<T extends object>(raw: string, isValid: (value: unknown) => value is T): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isValid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function hasIncidentId(value: unknown): value is { incidentId: number } {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { incidentId?: unknown }).incidentId);
}

/**
 * The submission a flow records: keyed by the view's id and hash (a resubmission after an
 * update has a new hash), acknowledged through Bolt's ack once the flow has stored it.
 */
export function submissionOf(args: Pick<ViewSubmissionArgs, 'ack' | 'view'>): Submission {
  return { key: `view:${args.view.id}:${args.view.hash}`, acknowledge: () => args.ack() };
}
