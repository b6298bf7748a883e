/** The database engines the store runs on (DATABASE_URL picks one); migrations branch on it. */
export type DialectName = 'sqlite' | 'postgres';
