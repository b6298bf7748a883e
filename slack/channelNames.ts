/** Slack's channel name rules: lowercase letters, digits, "-" and "_", at most 80 characters. */
export const CHANNEL_NAME_MAX = 80;

/** Turns any text into a valid channel name fragment ("API: 500s!" -> "api-500s"). */
export function slugifyChannelName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** Fills a template such as "{name}-{title}" and makes the result a valid channel name. */
export function channelNameFromTemplate(template: string, values: Record<string, string | number>): string {
  const filled = template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
  const name = slugifyChannelName(filled)
    .slice(0, CHANNEL_NAME_MAX)
    .replace(/[-_]+$/g, '');
  return name || slugifyChannelName(String(values.name ?? 'incident'));
}

/** The n-th alternative when a name is taken: "name-2", shortened so the suffix still fits. */
export function withSuffix(name: string, attempt: number): string {
  if (attempt <= 1) return name;
  const suffix = `-${attempt}`;
  return `${name.slice(0, CHANNEL_NAME_MAX - suffix.length).replace(/[-_]+$/g, '')}${suffix}`;
}
