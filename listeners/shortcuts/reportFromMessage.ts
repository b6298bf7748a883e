import { SHORTCUTS } from '../../slack/blocks/ids';
import { markupToPlainText, mentionedUserIds } from '../../slack/markup';
import type { MessageShortcutListener } from '../types';
import { openReportForm } from '../useCases/reportIncident';

/** "Report incident" on a message: the report form with the message's text and a link back to it. */
export const reportFromMessageShortcut: MessageShortcutListener = {
  callbackId: SHORTCUTS.reportIncident,
  name: 'Report incident',
  description: 'Report an incident about this message',
  async handle({ ack, shortcut }, deps) {
    await ack();
    // The form's inputs are plain text: Slack's markup (<@U…>, <url|label>, &lt;) would show literally.
    const raw = shortcut.message.text ?? '';
    const authorId = shortcut.message.user;
    const profiles = await deps.users.profiles([...mentionedUserIds(raw), ...(authorId ? [authorId] : [])]);
    const names = new Map([...profiles].flatMap(([id, profile]) => (profile ? [[id, profile.realName] as const] : [])));
    const text = markupToPlainText(raw, names);
    const permalink = deps.links.message(shortcut.channel.id, shortcut.message.ts);
    const authorName = authorId ? names.get(authorId) : undefined;
    const origin = authorName ? `Reported from a message by ${authorName}` : 'Reported from a message';
    const description = `${text}\n\n${origin}: ${permalink}`.trim();
    const title = text.split('\n')[0]?.slice(0, 150) ?? '';
    await openReportForm(deps, shortcut.trigger_id, { title, description }, { originChannelId: shortcut.channel.id });
  },
};
