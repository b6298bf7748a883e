/**
 * The fake Slack Web API, driven by the real @slack/web-api WebClient, so the fake's answers
 * are proven to be ones WebClient understands (errors, 429 handling, form-encoded bodies).
 */
import {
  ErrorCode,
  type Logger,
  LogLevel,
  retryPolicies,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { FakeSlack } from '../support/fakeSlack';

const TOKEN = 'xoxb-test-token';

/** WebClient logs every failed call; these tests fail calls on purpose, so keep the output clean. */
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** A real WebClient against a fake, without retries unless a test asks for them. */
function webClient(apiUrl: string, options: WebClientOptions = {}, token = TOKEN): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: silent, ...options });
}

/** The Slack error code a WebClient call failed with. */
async function slackError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WebAPIPlatformError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a Slack platform error');
}

function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function modal(title: string) {
  return {
    type: 'modal' as const,
    callback_id: 'report_incident',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Report' },
    blocks: [section('Tell us what happened')],
  };
}

describe('FakeSlack', () => {
  let clock = Date.now();
  let fake: FakeSlack;
  let client: WebClient;
  const clientWith = (options: WebClientOptions = {}): WebClient => webClient(fake.apiUrl, options);

  beforeAll(async () => {
    // A controllable clock instead of jest fake timers, which would stall the HTTP server.
    fake = await FakeSlack.start({ now: () => clock });
  });

  beforeEach(() => {
    clock = Date.now();
    fake.reset();
    client = clientWith();
  });

  afterAll(async () => {
    await fake.stop();
  });

  test('apiUrl ends with /api/ and auth.test answers as the bot', async () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: 'https://acme.slack.com/',
      user: 'dispatch',
      user_id: 'UBOT000001',
      bot_id: 'BBOT000001',
      team_id: 'T0TEAM0001',
      is_enterprise_install: false,
    });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    expect(fake.users.get('UBOT000001')).toMatchObject({ is_bot: true, name: 'dispatch' });
  });

  test('a wrong or missing token is refused', async () => {
    const wrong = webClient(fake.apiUrl, {}, 'xoxb-wrong');
    expect((await slackError(wrong.auth.test())).data.error).toBe('invalid_auth');
    const anonymous = webClient(fake.apiUrl, {}, ''); // WebClient sends no Authorization header for ''
    expect((await slackError(anonymous.auth.test())).data.error).toBe('not_authed');
  });

  test('unknown methods answer unknown_method and are still recorded', async () => {
    expect((await slackError(client.apiCall('nope.nothing'))).data.error).toBe('unknown_method');
    expect(fake.lastCall('nope.nothing')?.response).toEqual({ ok: false, error: 'unknown_method' });
  });

  test('conversations.create applies Slack channel name rules and name_taken', async () => {
    const created = await client.conversations.create({ name: 'dispatch-42', is_private: true });
    expect(created.channel).toMatchObject({ name: 'dispatch-42', is_private: true, is_archived: false, creator: 'UBOT000001' });
    const id = created.channel?.id ?? '';
    expect(id).toMatch(/^C/);
    expect([...(fake.channels.get(id)?.members ?? [])]).toEqual(['UBOT000001']);
    // is_private arrived as the form string "true" and was still understood.
    expect(fake.lastCall('conversations.create')?.args).toMatchObject({ name: 'dispatch-42', is_private: 'true' });

    const cases: Array<[string, string]> = [
      ['', 'invalid_name_required'],
      ['Dispatch 42', 'invalid_name_specials'],
      ['dispatch!42', 'invalid_name_specials'],
      ['x'.repeat(81), 'invalid_name_maxlength'],
      ['dispatch-42', 'name_taken'],
    ];
    for (const [name, error] of cases) {
      expect((await slackError(client.conversations.create({ name }))).data.error).toBe(error);
    }
    expect(fake.channels.size).toBe(1);
  });

  test('conversations.invite errors: cant_invite_self, already_in_channel, is_archived', async () => {
    const id = (await client.conversations.create({ name: 'inc-1' })).channel?.id ?? '';

    expect((await slackError(client.conversations.invite({ channel: id, users: 'UBOT000001' }))).data.error).toBe('cant_invite_self');
    await client.conversations.invite({ channel: id, users: 'U0ALICE01,U0BOB0001' });
    expect(fake.channels.get(id)?.members).toEqual(new Set(['UBOT000001', 'U0ALICE01', 'U0BOB0001']));
    expect((await slackError(client.conversations.invite({ channel: id, users: 'U0ALICE01' }))).data.error).toBe('already_in_channel');
    expect((await slackError(client.conversations.invite({ channel: 'C0NOPE', users: 'U0ALICE01' }))).data.error).toBe('channel_not_found');

    await client.conversations.archive({ channel: id });
    expect((await slackError(client.conversations.invite({ channel: id, users: 'U0CAROL01' }))).data.error).toBe('is_archived');
    expect((await slackError(client.conversations.archive({ channel: id }))).data.error).toBe('already_archived');
  });

  test('strictUsers makes unknown users user_not_found', async () => {
    const strict = await FakeSlack.start({ strictUsers: true });
    try {
      const strictClient = webClient(strict.apiUrl);
      const channel = strict.addChannel({ name: 'strict' });
      strict.addUser({ id: 'U0KNOWN01', name: 'known', email: 'known@example.com' });
      expect((await slackError(strictClient.conversations.invite({ channel: channel.id, users: 'U0STRANGER' }))).data.error).toBe(
        'user_not_found',
      );
      await strictClient.conversations.invite({ channel: channel.id, users: 'U0KNOWN01' });
      const found = await strictClient.users.lookupByEmail({ email: 'KNOWN@example.com' });
      expect(found.user?.id).toBe('U0KNOWN01');
    } finally {
      await strict.stop();
    }
  });

  test('chat.postMessage rejects 51 blocks with invalid_blocks and accepts 50', async () => {
    const channel = fake.addChannel({ name: 'blocks' });
    const blocks = Array.from({ length: 51 }, (_, i) => section(`block ${i}`));

    const error = await slackError(client.chat.postMessage({ channel: channel.id, text: 'too many', blocks }));
    expect(error.data.error).toBe('invalid_blocks');
    expect(fake.messages).toHaveLength(0);
    // The fake saw the blocks as structures, not the JSON string WebClient sent.
    expect(fake.lastCall('chat.postMessage')?.args.blocks).toHaveLength(51);

    const ok = await client.chat.postMessage({ channel: channel.id, text: 'fine', blocks: blocks.slice(0, 50) });
    expect(ok.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.messagesIn(channel.id)).toHaveLength(1);
  });

  test('chat.postMessage checks text, section length, channel and membership', async () => {
    const mine = fake.addChannel({ name: 'mine' });
    const notMine = fake.addChannel({ name: 'not-mine', members: new Set(['U0ALICE01']) });
    const post = (args: Record<string, unknown>) => slackError(client.apiCall('chat.postMessage', args));

    expect((await post({ channel: mine.id })).data.error).toBe('no_text');
    expect((await post({ channel: mine.id, text: 'x', blocks: [section('y'.repeat(3001))] })).data.error).toBe('invalid_blocks');
    expect((await post({ channel: mine.id, text: 'x', blocks: [{ text: 'no type' }] })).data.error).toBe('invalid_blocks');
    expect((await post({ channel: mine.id, text: 'z'.repeat(40001) })).data.error).toBe('msg_too_long');
    expect((await post({ channel: 'C0MISSING', text: 'hi' })).data.error).toBe('channel_not_found');
    expect((await post({ channel: notMine.id, text: 'hi' })).data.error).toBe('not_in_channel');

    const first = await client.chat.postMessage({ channel: mine.id, text: 'one' });
    const second = await client.chat.postMessage({ channel: mine.id, text: 'two', thread_ts: first.ts });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message).toMatchObject({ user: 'UBOT000001', bot_id: 'BBOT000001', app_id: 'A0APPTEST1' });
    const replies = await client.conversations.replies({ channel: mine.id, ts: first.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['one', 'two']);
  });

  test('a user id as channel is delivered to the DM with that user', async () => {
    const result = await client.chat.postMessage({ channel: 'U0ALICE01', text: 'You are the commander' });
    const dm = result.channel ?? '';
    expect(dm).toMatch(/^D/);
    expect(fake.channels.get(dm)).toMatchObject({ is_im: true });
    expect(fake.messagesIn(dm).map((m) => m.text)).toEqual(['You are the commander']);

    const opened = await client.conversations.open({ users: 'U0ALICE01' });
    expect(opened.channel?.id).toBe(dm);
  });

  test('chat.postEphemeral needs the user in the channel and stores no message', async () => {
    const channel = fake.addChannel({ name: 'ephemeral', members: new Set(['UBOT000001', 'U0ALICE01']) });
    const sent = await client.chat.postEphemeral({ channel: channel.id, user: 'U0ALICE01', text: 'only you' });
    expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect((await slackError(client.chat.postEphemeral({ channel: channel.id, user: 'U0BOB0001', text: 'hi' }))).data.error).toBe(
      'user_not_in_channel',
    );
    expect(fake.messages).toHaveLength(0);
    expect(fake.callsTo('chat.postEphemeral')).toHaveLength(2);
  });

  test('views.open: 25-character title, reused trigger and expired trigger', async () => {
    const trigger = fake.issueTriggerId();

    const tooLong = await slackError(client.views.open({ trigger_id: trigger, view: modal('x'.repeat(25)) }));
    expect(tooLong.data.error).toBe('invalid_arguments');
    expect(tooLong.data.response_metadata?.messages).toEqual(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);

    const opened = await client.views.open({ trigger_id: trigger, view: modal('x'.repeat(24)) });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'report_incident', state: { values: {} } });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.views.get(opened.view?.id ?? '')?.hash).toBe(opened.view?.hash);

    const reused = await slackError(client.views.open({ trigger_id: trigger, view: modal('Report') }));
    expect(reused.data.error).toBe('expired_trigger_id');

    const late = fake.issueTriggerId();
    clock += 3001;
    expect((await slackError(client.views.open({ trigger_id: late, view: modal('Report') }))).data.error).toBe('expired_trigger_id');
    expect((await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal('Report') }))).data.error).toBe(
      'invalid_trigger_id',
    );
  });

  test('views.update needs a known view and the current hash', async () => {
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal('Report') });
    const id = opened.view?.id ?? '';
    const updated = await client.views.update({ view_id: id, hash: opened.view?.hash, view: modal('Reported') });
    expect(updated.view?.id).toBe(id);
    expect(fake.views.get(id)?.updates).toBe(1);
    expect((await slackError(client.views.update({ view_id: id, hash: opened.view?.hash, view: modal('Stale') }))).data.error).toBe(
      'hash_conflict',
    );
    expect((await slackError(client.views.update({ view_id: 'V0NOPE', view: modal('Gone') }))).data.error).toBe('not_found');
  });

  test('failNext answers the injected error for the next N calls, then normally', async () => {
    fake.failNext('conversations.create', 'missing_scope', 2);
    expect((await slackError(client.conversations.create({ name: 'a' }))).data.error).toBe('missing_scope');
    expect((await slackError(client.conversations.create({ name: 'a' }))).data.error).toBe('missing_scope');
    expect((await client.conversations.create({ name: 'a' })).ok).toBe(true);
    expect(fake.callsTo('conversations.create').map((c) => c.response.ok)).toEqual([false, false, true]);
  });

  test('rateLimitNext: rejected with retryAfter when the client rejects rate-limited calls', async () => {
    fake.rateLimitNext('chat.postMessage', 7);
    const rejecting = clientWith({ rejectRateLimitedCalls: true });
    const channel = fake.addChannel({ name: 'limits' });
    const error = await rejecting.chat.postMessage({ channel: channel.id, text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    await expect(rejecting.chat.postMessage({ channel: channel.id, text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  test('rateLimitNext: a default client waits Retry-After seconds and succeeds', async () => {
    fake.rateLimitNext('chat.postMessage', 1);
    const retrying = clientWith({ retryConfig: retryPolicies.rapidRetryPolicy });
    const channel = fake.addChannel({ name: 'limits' });
    const started = Date.now();
    const result = await retrying.chat.postMessage({ channel: channel.id, text: 'eventually' });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo('chat.postMessage').map((c) => c.response.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
    expect(fake.messagesIn(channel.id)).toHaveLength(1);
  });

  test('httpErrorNext answers that HTTP status', async () => {
    fake.httpErrorNext('auth.test', 503);
    const error = await client.auth.test().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ statusCode: 503 });
    expect((await client.auth.test()).ok).toBe(true);
  });

  test('setLatency delays answers for one method or all, and 0 clears it', async () => {
    fake.setLatency(300, 'auth.test');
    let started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    started = Date.now();
    await client.team.info();
    expect(Date.now() - started).toBeLessThan(250);

    fake.setLatency(0, 'auth.test');
    fake.setLatency(200);
    started = Date.now();
    await client.team.info();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);

    fake.setLatency(0);
    started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeLessThan(150);
  });

  test('a client timeout against a slow answer; stop() is not held up by the pending answer', async () => {
    const slow = await FakeSlack.start();
    slow.setLatency(10_000);
    const impatient = webClient(slow.apiUrl, { timeout: 100 });
    await expect(impatient.auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
    const started = Date.now();
    await slow.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('pins: add, already_pinned, list, remove, no_pin', async () => {
    const channel = fake.addChannel({ name: 'pins' });
    const posted = await client.chat.postMessage({ channel: channel.id, text: 'Incident summary' });
    const ts = posted.ts ?? '';

    await client.pins.add({ channel: channel.id, timestamp: ts });
    expect(fake.messageAt(channel.id, ts)?.pinned).toBe(true);
    expect((await slackError(client.pins.add({ channel: channel.id, timestamp: ts }))).data.error).toBe('already_pinned');
    expect((await slackError(client.pins.add({ channel: channel.id, timestamp: '1.000001' }))).data.error).toBe('message_not_found');
    const list = await client.pins.list({ channel: channel.id });
    expect(list.items).toHaveLength(1);

    await client.pins.remove({ channel: channel.id, timestamp: ts });
    expect((await slackError(client.pins.remove({ channel: channel.id, timestamp: ts }))).data.error).toBe('no_pin');
  });

  test('chat.update bumps updates and keeps the ts; only the bot’s messages can be updated', async () => {
    const channel = fake.addChannel({ name: 'updates', members: new Set(['UBOT000001', 'U0ALICE01']) });
    const posted = await client.chat.postMessage({ channel: channel.id, text: 'Status: active' });
    const ts = posted.ts ?? '';

    const updated = await client.chat.update({ channel: channel.id, ts, text: 'Status: stable', blocks: [section('stable')] });
    expect(updated).toMatchObject({ ok: true, channel: channel.id, ts, text: 'Status: stable' });
    expect(fake.messageAt(channel.id, ts)).toMatchObject({ text: 'Status: stable', updates: 1, blocks: [section('stable')] });

    const human = fake.addMessage({ channel: channel.id, user: 'U0ALICE01', text: 'on it' });
    expect((await slackError(client.chat.update({ channel: channel.id, ts: human.ts, text: 'hijack' }))).data.error).toBe(
      'cant_update_message',
    );
    expect((await slackError(client.chat.update({ channel: channel.id, ts: '1.000001', text: 'x' }))).data.error).toBe('message_not_found');

    const history = await client.conversations.history({ channel: channel.id });
    expect(history.messages?.map((m) => m.text)).toEqual(['on it', 'Status: stable']);
    const link = await client.chat.getPermalink({ channel: channel.id, message_ts: ts });
    expect(link.permalink).toBe(`https://acme.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`);
  });

  test('response_url posts are recorded apart from Web API calls', async () => {
    const url = fake.responseUrl('cmd-1');
    expect(url).toMatch(/\/response\/cmd-1$/);
    const waiting = fake.waitForResponseUrlPost((p) => p.body.response_type === 'ephemeral');

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Incident dispatch-42 reported' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');

    const post = await waiting;
    expect(post).toMatchObject({ path: '/response/cmd-1', body: { text: 'Incident dispatch-42 reported' } });
    expect(fake.calls).toHaveLength(0);
    expect(fake.responseUrl()).not.toBe(fake.responseUrl());
  });

  test('waitForCall resolves on a later call and explains a timeout', async () => {
    const waiting = fake.waitForCall('chat.postMessage', (c) => c.args.text === 'second');
    const channel = fake.addChannel({ name: 'waiting' });
    await client.chat.postMessage({ channel: channel.id, text: 'first' });
    await client.chat.postMessage({ channel: channel.id, text: 'second' });
    expect((await waiting).args.channel).toBe(channel.id);

    await expect(fake.waitForCall('views.open', undefined, 50)).rejects.toThrow(/no views\.open call.*chat\.postMessage x2/);
  });

  test('reset forgets everything but the bot user', async () => {
    fake.addUser({ id: 'U0ALICE01', name: 'alice' });
    fake.addChannel({ name: 'old' });
    fake.failNext('auth.test', 'invalid_auth');
    await slackError(client.auth.test());
    fake.reset();
    expect(fake.calls).toHaveLength(0);
    expect(fake.channels.size).toBe(0);
    expect([...fake.users.keys()]).toEqual(['UBOT000001']);
    expect((await client.auth.test()).ok).toBe(true);
  });
});
