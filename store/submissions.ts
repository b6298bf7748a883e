import type { Kysely } from 'kysely';
import type { SubmissionRepository } from '../incidents/ports';
import type { Database } from './schema';
import { toIso } from './time';

export class KyselySubmissionRepository implements SubmissionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(key: string, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('submissions')
      .values({ submission_key: key, received_at: toIso(at) })
      .onConflict((conflict) => conflict.column('submission_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Forgets keys older than any repeat delivery could be, so the table stays small. */
  async prune(olderThan: Date): Promise<number> {
    const result = await this.db.deleteFrom('submissions').where('received_at', '<', toIso(olderThan)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
