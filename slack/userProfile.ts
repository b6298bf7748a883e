/** A person's Slack profile, as users.info gives it (read through the gateway, cached by UserDirectory). */
export interface SlackUserProfile {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  title: string;
  email: string | null;
  isBot: boolean;
  deleted: boolean;
  tz: string | null;
}
