/** When a message was posted, from its Slack ts ("1712345678.000200": seconds and microseconds). */
export function messageTime(ts: string): Date | null {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match) return null;
  const micros = Number((match[2] ?? '0').padEnd(6, '0'));
  return new Date(Number(match[1]) * 1000 + Math.floor(micros / 1000));
}
