import type { HomeView, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './blocks/message';
import { withSuffix } from './channelNames';
import { isSlackError, SlackCallError, toSlackCallError } from './errors';
import { ResponseUrlPoster } from './responseUrls';
import type { SlackUserProfile } from './userProfile';

export type { SlackMessage } from './blocks/message';
export type { SlackUserProfile } from './userProfile';

export interface BotIdentity {
  userId: string;
  botId: string | null;
  teamId: string | null;
}

export interface InviteOutcome {
  invited: string[];
  alreadyIn: string[];
  failed: Array<{ userId: string; error: SlackCallError }>;
}

/** A message as conversations.history / conversations.replies return it. */
export interface FetchedMessage {
  ts: string;
  text: string;
  /** The person who posted it; null for a bot or app message without one. */
  userId: string | null;
}

export interface GatewayOptions {
  /** Development: everything addressed to a person goes to this user instead (SLACK_USER_ID_OVERRIDE). */
  userIdOverride: string | null;
  /** The app's own bot user, never invited. */
  botUserId?: string;
  /** Where response_url posts go through (a bounded pool); one of its own by default. */
  responseUrls?: ResponseUrlPoster;
}

/**
 * Every Slack side effect goes through here: one place that applies SLACK_USER_ID_OVERRIDE,
 * tolerates the errors that mean "already done", and turns the rest into SlackCallError with
 * plain words. WebClient itself handles rate limits (Retry-After) and retries.
 */
export class SlackGateway {
  private botUserId: string | undefined;
  private readonly responseUrls: ResponseUrlPoster;

  constructor(
    private readonly client: WebClient,
    private readonly options: GatewayOptions,
  ) {
    this.botUserId = options.botUserId;
    this.responseUrls = options.responseUrls ?? new ResponseUrlPoster();
  }

  /** Who receives something meant for `userId` (the override user in development). */
  recipient(userId: string): string {
    return this.options.userIdOverride ?? userId;
  }

  private async call<T>(method: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toSlackCallError(method, error);
    }
  }

  async identify(): Promise<BotIdentity> {
    const result = await this.call('auth.test', () => this.client.auth.test());
    if (!result.user_id) throw new SlackCallError('auth.test', 'invalid_auth', 'Slack did not say who the bot is');
    this.botUserId = result.user_id;
    return { userId: result.user_id, botId: result.bot_id ?? null, teamId: result.team_id ?? null };
  }

  /** Creates a channel; a taken name gets "-2", "-3"... instead of failing. */
  async createChannel(name: string, isPrivate: boolean): Promise<{ id: string; name: string }> {
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const candidate = withSuffix(name, attempt);
      try {
        const result = await this.call('conversations.create', () =>
          this.client.conversations.create({ name: candidate, is_private: isPrivate }),
        );
        const channel = result.channel;
        if (!channel?.id) throw new SlackCallError('conversations.create', 'no_channel', 'Slack did not return the new channel');
        return { id: channel.id, name: channel.name ?? candidate };
      } catch (error) {
        if (!isSlackError(error, 'name_taken')) throw error;
      }
    }
    throw new SlackCallError('conversations.create', 'name_taken', 'every variant of the channel name is taken');
  }

  /** Invites people one by one so one bad id does not stop the rest; "already in" is fine. */
  async invite(channelId: string, userIds: string[]): Promise<InviteOutcome> {
    const outcome: InviteOutcome = { invited: [], alreadyIn: [], failed: [] };
    const recipients = [...new Set(userIds.map((userId) => this.recipient(userId)))].filter((userId) => userId !== this.botUserId);
    for (const userId of recipients) {
      try {
        await this.call('conversations.invite', () => this.client.conversations.invite({ channel: channelId, users: userId }));
        outcome.invited.push(userId);
      } catch (error) {
        if (isSlackError(error, 'already_in_channel', 'cant_invite_self')) outcome.alreadyIn.push(userId);
        else outcome.failed.push({ userId, error: toSlackCallError('conversations.invite', error) });
      }
    }
    return outcome;
  }

  async setTopic(channelId: string, topic: string): Promise<void> {
    await this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel: channelId, topic: topic.slice(0, 250) }));
  }

  async setPurpose(channelId: string, purpose: string): Promise<void> {
    await this.call('conversations.setPurpose', () =>
      this.client.conversations.setPurpose({ channel: channelId, purpose: purpose.slice(0, 250) }),
    );
  }

  async archive(channelId: string): Promise<void> {
    try {
      await this.call('conversations.archive', () => this.client.conversations.archive({ channel: channelId }));
    } catch (error) {
      if (!isSlackError(error, 'already_archived')) throw error;
    }
  }

  async members(channelId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call('conversations.members', () =>
        this.client.conversations.members({ channel: channelId, limit: 1000, cursor }),
      );
      members.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }

  async postMessage(channelId: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const result = await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        thread_ts: threadTs,
        unfurl_links: false,
      }),
    );
    if (!result.ts) throw new SlackCallError('chat.postMessage', 'no_ts', 'Slack did not return the message');
    return result.ts;
  }

  async updateMessage(channelId: string, ts: string, message: SlackMessage): Promise<void> {
    await this.call('chat.update', () =>
      this.client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks ?? [] }),
    );
  }

  async deleteMessage(channelId: string, ts: string): Promise<void> {
    try {
      await this.call('chat.delete', () => this.client.chat.delete({ channel: channelId, ts }));
    } catch (error) {
      if (!isSlackError(error, 'message_not_found')) throw error;
    }
  }

  /** Only `userId` sees it (the override user in development). */
  async postEphemeral(channelId: string, userId: string, message: SlackMessage): Promise<void> {
    await this.call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({ channel: channelId, user: this.recipient(userId), text: message.text, blocks: message.blocks }),
    );
  }

  /** A direct message from the app (the override user in development). */
  async sendDirectMessage(userId: string, message: SlackMessage): Promise<string> {
    return this.postMessage(this.recipient(userId), message);
  }

  async pin(channelId: string, ts: string): Promise<void> {
    try {
      await this.call('pins.add', () => this.client.pins.add({ channel: channelId, timestamp: ts }));
    } catch (error) {
      if (!isSlackError(error, 'already_pinned')) throw error;
    }
  }

  async unpin(channelId: string, ts: string): Promise<void> {
    try {
      await this.call('pins.remove', () => this.client.pins.remove({ channel: channelId, timestamp: ts }));
    } catch (error) {
      if (!isSlackError(error, 'no_pin', 'message_not_found')) throw error;
    }
  }

  async permalink(channelId: string, ts: string): Promise<string | null> {
    try {
      const result = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return result.permalink ?? null;
    } catch {
      return null;
    }
  }

  async openView(triggerId: string, view: ModalView): Promise<string | null> {
    const result = await this.call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
    return result.view?.id ?? null;
  }

  async updateView(viewId: string, view: ModalView): Promise<void> {
    await this.call('views.update', () => this.client.views.update({ view_id: viewId, view }));
  }

  async publishHome(userId: string, view: HomeView): Promise<void> {
    await this.call('views.publish', () => this.client.views.publish({ user_id: userId, view }));
  }

  async userInfo(userId: string): Promise<SlackUserProfile> {
    const result = await this.call('users.info', () => this.client.users.info({ user: userId }));
    const user = result.user;
    if (!user?.id) throw new SlackCallError('users.info', 'user_not_found', 'Slack could not find that user');
    return {
      id: user.id,
      name: user.name ?? user.id,
      realName: user.profile?.real_name || user.real_name || user.name || user.id,
      displayName: user.profile?.display_name || user.name || user.id,
      title: user.profile?.title ?? '',
      email: user.profile?.email ?? null,
      isBot: Boolean(user.is_bot),
      deleted: Boolean(user.deleted),
      tz: user.tz ?? null,
    };
  }

  /** The Slack user with this email, or null when there is none. */
  async userIdByEmail(email: string): Promise<string | null> {
    try {
      const result = await this.call('users.lookupByEmail', () => this.client.users.lookupByEmail({ email }));
      return result.user?.id ?? null;
    } catch (error) {
      if (isSlackError(error, 'users_not_found')) return null;
      throw error;
    }
  }

  /**
   * Uploads a text file to a channel (files.uploadV2: files.getUploadURLExternal, the upload
   * itself, files.completeUploadExternal; needs the files:write scope). Returns the file id.
   */
  async uploadFile(
    channelId: string,
    file: { filename: string; title: string; content: string; initialComment?: string },
  ): Promise<string | null> {
    const result = await this.call('files.uploadV2', () =>
      this.client.filesUploadV2({
        channel_id: channelId,
        filename: file.filename,
        title: file.title,
        content: file.content,
        ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
      }),
    );
    const completions = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
    return completions[0]?.files?.[0]?.id ?? null;
  }

  /** Answers through a command's or an action's response_url (5 uses within 30 minutes). */
  async respond(responseUrl: string, message: SlackMessage & { replaceOriginal?: boolean; inChannel?: boolean }): Promise<void> {
    await this.responseUrls.post(responseUrl, {
      response_type: message.inChannel ? 'in_channel' : 'ephemeral',
      replace_original: message.replaceOriginal ?? false,
      text: message.text,
      blocks: message.blocks,
    });
  }

  /** True when a post to this response_url failed: the error path must not post there again. */
  responseUrlFailed(responseUrl: string): boolean {
    return this.responseUrls.hasFailed(responseUrl);
  }

  /** Closes the response_url connection pool (at shutdown, after in-flight work). */
  close(): Promise<void> {
    return this.responseUrls.close();
  }

  async addBookmark(channelId: string, title: string, link: string): Promise<void> {
    await this.call('bookmarks.add', () => this.client.bookmarks.add({ channel_id: channelId, title, type: 'link', link }));
  }

  /** The links bookmarked in a channel (to add each bookmark once). */
  async bookmarkLinks(channelId: string): Promise<string[]> {
    const result = await this.call('bookmarks.list', () => this.client.bookmarks.list({ channel_id: channelId }));
    return (result.bookmarks ?? []).map((bookmark) => bookmark.link ?? '').filter(Boolean);
  }

  /**
   * One message of a channel, top-level or in a thread (a reaction does not say which), or null
   * when Slack no longer has it.
   */
  async fetchMessage(channelId: string, ts: string): Promise<FetchedMessage | null> {
    const toFetched = (message: { ts?: string; text?: string; user?: string }): FetchedMessage => ({
      ts: message.ts ?? ts,
      text: message.text ?? '',
      userId: message.user ?? null,
    });
    const history = await this.call('conversations.history', () =>
      this.client.conversations.history({ channel: channelId, latest: ts, oldest: ts, inclusive: true, limit: 1 }),
    );
    const top = history.messages?.find((message) => message.ts === ts);
    if (top) return toFetched(top);
    try {
      const replies = await this.call('conversations.replies', () =>
        this.client.conversations.replies({ channel: channelId, ts, latest: ts, oldest: ts, inclusive: true, limit: 1 }),
      );
      const reply = replies.messages?.find((message) => message.ts === ts);
      return reply ? toFetched(reply) : null;
    } catch (error) {
      if (isSlackError(error, 'thread_not_found', 'message_not_found')) return null;
      throw error;
    }
  }
}
