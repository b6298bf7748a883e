/** Times are stored as ISO-8601 UTC text (see schema.ts). */
export const toIso = (date: Date): string => date.toISOString();
export const fromIso = (text: string): Date => new Date(text);
export const fromIsoOrNull = (text: string | null | undefined): Date | null => (text ? new Date(text) : null);
export const toIsoOrNull = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
