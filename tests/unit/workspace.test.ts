/**
 * The local Slack workspace beyond what fakeSlack.test.ts covers: Block Kit checked against
 * Slack's schema with pointers, the modal stack and view_submission answers, membership
 * changes, topics, bookmarks, ephemerals and response_url answers shown where Slack shows them.
 */
import { type Logger, LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import {
  answerViewSubmission,
  messageBlockErrors,
  modalStack,
  SlackWorkspace,
  viewErrors,
  type WorkspaceChange,
} from '../../sandbox/workspace';

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

async function slackError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WebAPIPlatformError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a Slack platform error');
}

function modal(title: string, callbackId = 'report') {
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Submit' },
    blocks: [
      {
        type: 'input',
        block_id: 'title',
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
  };
}

describe('SlackWorkspace', () => {
  let ws: SlackWorkspace;
  let client: WebClient;

  beforeAll(async () => {
    ws = await SlackWorkspace.start({ strictUsers: true });
    client = new WebClient('xoxb-test-token', { slackApiUrl: ws.apiUrl, retryConfig: { retries: 0 }, logger: silent });
  });
  beforeEach(() => {
    ws.reset();
    ws.addUser({ id: 'UALICE', name: 'alice', real_name: 'Alice Chen', email: 'alice@example.com', title: 'SRE', tz: 'Europe/Berlin' });
    ws.addUser({ id: 'UBOB', name: 'bob', real_name: 'Bob Diaz' });
  });
  afterAll(() => ws.stop());

  test('blocks are checked against Slack’s schema: an unknown field or block type is invalid_blocks with its pointer', async () => {
    const general = ws.addChannel({ name: 'general' });
    const emoji = await slackError(
      client.chat.postMessage({
        channel: general.id,
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi', emoji: true } }] as never,
      }),
    );
    expect(emoji.data.error).toBe('invalid_blocks');
    expect(emoji.data.response_metadata?.messages).toEqual(['[ERROR] unsupported field: emoji [json-pointer:/blocks/0/text]']);
    expect(messageBlockErrors([{ type: 'sparkles' }])).toEqual([expect.stringContaining('[json-pointer:/blocks/0/type]')]);
    expect(messageBlockErrors([{ type: 'actions', elements: [{ type: 'button', action_id: 'a' }] }])).toEqual([
      '[ERROR] missing required field: text [json-pointer:/blocks/0/elements/0]',
    ]);
    expect(ws.refusedBlocks()).toEqual([expect.objectContaining({ method: 'chat.postMessage', error: 'invalid_blocks' })]);
  });

  test('limits the types cannot carry: button text, option values, initial_option among the options', () => {
    const button = { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } };
    expect(messageBlockErrors([{ type: 'actions', elements: [button] }])).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
    const select = { type: 'static_select', action_id: 's', options: [option('a')], initial_option: option('b') };
    expect(messageBlockErrors([{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: select }])).toEqual([
      '[ERROR] must match one of the provided options [json-pointer:/blocks/0/accessory/initial_option]',
    ]);
    expect(viewErrors({ ...modal('t'), submit: undefined }, ['modal'])).toEqual([
      '[ERROR] must provide submit when there are input blocks [json-pointer:/view/submit]',
    ]);
  });

  test('views.open and views.push stack modals on the person whose trigger it was; submissions answer as Slack does', async () => {
    const opened = await client.views.open({ trigger_id: ws.issueTriggerId('UALICE'), view: modal('Report incident') });
    const pushed = await client.views.push({ trigger_id: ws.issueTriggerId('UALICE'), view: modal('Details', 'details') });
    expect(modalStack(ws, 'UALICE').map((v) => v.id)).toEqual([opened.view?.id, pushed.view?.id]);
    expect(pushed.view?.previous_view_id).toBe(opened.view?.id);

    const top = pushed.view?.id ?? '';
    expect(answerViewSubmission(ws, 'UALICE', top, { response_action: 'errors', errors: { title: 'Say what broke' } })).toEqual({
      kind: 'errors',
      errors: { title: 'Say what broke' },
    });
    expect(ws.views.get(top)?.errors).toEqual({ title: 'Say what broke' });
    const updated = answerViewSubmission(ws, 'UALICE', top, { response_action: 'update', view: modal('Checked') });
    expect(updated).toMatchObject({ kind: 'updated', view: { id: top } });
    expect(ws.views.get(top)?.errors).toBeUndefined();
    const refused = answerViewSubmission(ws, 'UALICE', top, { response_action: 'update', view: modal('A title far longer than 24') });
    expect(refused).toEqual({ kind: 'invalid', messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] });
    expect(answerViewSubmission(ws, 'UALICE', top, {})).toEqual({ kind: 'closed' });
    expect(modalStack(ws, 'UALICE').map((v) => v.id)).toEqual([opened.view?.id]);
    answerViewSubmission(ws, 'UALICE', opened.view?.id ?? '', { response_action: 'push', view: modal('Another') });
    expect(modalStack(ws, 'UALICE')).toHaveLength(2);
    expect(answerViewSubmission(ws, 'UALICE', opened.view?.id ?? '', { response_action: 'clear' })).toEqual({ kind: 'closed' });
    expect(modalStack(ws, 'UALICE')).toEqual([]);
  });

  test('views.publish keeps one Home per person and honours the hash', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hi' } }] };
    const first = await client.views.publish({ user_id: 'UALICE', view: home });
    expect((await slackError(client.views.publish({ user_id: 'UALICE', view: home, hash: 'stale' }))).data.error).toBe('hash_conflict');
    const second = await client.views.publish({ user_id: 'UALICE', view: home, hash: first.view?.hash });
    expect(second.view?.id).toBe(first.view?.id);
    expect((await slackError(client.views.publish({ user_id: 'UNOBODY', view: home }))).data.error).toBe('user_not_found');
  });

  test('invites and kicks tell a page who joined or left; kick and topic errors are Slack’s', async () => {
    const changes: WorkspaceChange[] = [];
    const unsubscribe = ws.onChange((change) => changes.push(change));
    const created = await client.conversations.create({ name: 'dispatch-1', is_private: true });
    const id = created.channel?.id ?? '';
    await client.conversations.invite({ channel: id, users: 'UALICE' });
    expect((await slackError(client.conversations.kick({ channel: id, user: 'UBOB' }))).data.error).toBe('not_in_channel');
    expect((await slackError(client.conversations.kick({ channel: id, user: ws.botUserId }))).data.error).toBe('cant_kick_self');
    await client.conversations.kick({ channel: id, user: 'UALICE' });
    expect(changes.filter((c) => c.kind === 'member')).toEqual([
      { kind: 'member', channel: id, user: 'UALICE', joined: true, inviter: ws.botUserId },
      { kind: 'member', channel: id, user: 'UALICE', joined: false },
    ]);
    unsubscribe();
    await client.conversations.setTopic({ channel: id, topic: 'Active · High' });
    await client.conversations.setPurpose({ channel: id, purpose: 'Checkout is down' });
    expect(ws.channels.get(id)).toMatchObject({ topic: 'Active · High', purpose: 'Checkout is down' });
    expect((await slackError(client.conversations.setTopic({ channel: id, topic: 'x'.repeat(251) }))).data.error).toBe('too_long');
    await client.conversations.archive({ channel: id });
    expect((await slackError(client.conversations.archive({ channel: id }))).data.error).toBe('already_archived');
    expect((await slackError(client.conversations.invite({ channel: id, users: 'UBOB' }))).data.error).toBe('is_archived');
  });

  test('bookmarks, users.info and users.lookupByEmail', async () => {
    const channel = ws.addChannel({ name: 'dispatch-2' });
    await client.bookmarks.add({ channel_id: channel.id, title: 'Runbook', type: 'link', link: 'https://runbooks.example.com/checkout' });
    expect((await slackError(client.bookmarks.add({ channel_id: channel.id, title: 'x', type: 'link', link: 'ftp://x' }))).data.error).toBe(
      'invalid_link',
    );
    expect((await client.bookmarks.list({ channel_id: channel.id })).bookmarks?.map((b) => b.title)).toEqual(['Runbook']);
    const alice = await client.users.info({ user: 'UALICE' });
    expect(alice.user).toMatchObject({ real_name: 'Alice Chen', tz: 'Europe/Berlin', profile: { title: 'SRE' } });
    expect((await client.users.lookupByEmail({ email: 'ALICE@example.com' })).user?.id).toBe('UALICE');
    expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).data.error).toBe('users_not_found');
  });

  test('ephemerals are kept for their one reader; response_url answers land in the channel of their context', async () => {
    const general = ws.addChannel({ name: 'general', members: new Set([ws.botUserId, 'UALICE']) });
    await client.chat.postEphemeral({ channel: general.id, user: 'UALICE', text: 'Only you' });
    expect(ws.ephemerals).toEqual([expect.objectContaining({ channel: general.id, user: 'UALICE', text: 'Only you' })]);

    const url = ws.responseUrl(undefined, { channel: general.id, user: 'UALICE' });
    const post = (body: object) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ response_type: 'ephemeral', text: 'Not in an incident channel' })).status).toBe(200);
    expect(ws.ephemerals.at(-1)).toMatchObject({ user: 'UALICE', text: 'Not in an incident channel', responseUrl: url });
    expect((await post({ response_type: 'in_channel', text: 'For everyone' })).status).toBe(200);
    expect(ws.messagesIn(general.id).map((m) => m.text)).toEqual(['For everyone']);
    const invalid = await post({ text: 'x', blocks: [{ type: 'section' }] });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toBe('invalid_blocks');
    const ephemeralTs = ws.ephemerals.at(-1)?.ts;
    const replaceUrl = ws.responseUrl(undefined, { channel: general.id, user: 'UALICE', messageTs: ephemeralTs, ephemeral: true });
    await fetch(replaceUrl, { method: 'POST', body: JSON.stringify({ replace_original: true, text: 'Replaced' }) });
    expect(ws.ephemerals.find((e) => e.ts === ephemeralTs)?.text).toBe('Replaced');
    for (let use = 2; use <= 5; use += 1) await fetch(replaceUrl, { method: 'POST', body: JSON.stringify({ text: `use ${use}` }) });
    expect((await fetch(replaceUrl, { method: 'POST', body: JSON.stringify({ text: 'sixth' }) })).status).toBe(404);
  });
});
