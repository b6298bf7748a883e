/**
 * True when the database refused a write because a unique index already holds the value, in
 * either dialect (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). Lets a service turn a lost
 * race into a sentence for the person instead of an unexpected error.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
