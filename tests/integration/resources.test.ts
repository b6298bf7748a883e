import type { Incident } from '../../incidents/model';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident } from '../support/incidentFlow';
import { buttonClick, viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const TEMPLATES = {
  INCIDENT_CONFERENCE_URL_TEMPLATE: 'https://meet.example.com/{name}',
  INCIDENT_TICKET_URL_TEMPLATE: 'https://tickets.example.com/new?summary={title}&incident={number}',
};

async function startApp(env: Record<string, string> = {}) {
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  const app = await TestApp.start({ fake, env: { STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h', ...env } });
  return { fake, app };
}

describe('resources', () => {
  let fake: FakeSlack;
  let app: TestApp;
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  /** What the person sees: the list in the ack itself, with nothing posted to the response_url. */
  async function listResources(incident: Incident): Promise<{ body: Record<string, unknown> }> {
    const responseUrl = fake.responseUrl();
    const answer = await app.command('/dispatch-list-resources', {
      channel_id: incident.channelId as string,
      user_id: REPORTER,
      response_url: responseUrl,
    });
    expect(answer.status).toBe(200);
    await app.settle();
    expect(fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path))).toEqual([]);
    return { body: answer.json() };
  }

  /** Clicks "Add resource" on a list; returns that click's response_url (where the list is redrawn). */
  async function openForm(incident: Incident): Promise<string> {
    const responseUrl = fake.responseUrl();
    await app.interact(
      buttonClick({
        actionId: 'resource_add',
        value: String(incident.id),
        userId: REPORTER,
        channelId: incident.channelId as string,
        triggerId: fake.issueTriggerId(),
        responseUrl,
      }),
    );
    await app.settle();
    expect(openedView(app).callback_id).toBe('resource_add');
    return responseUrl;
  }

  describe('with URL templates', () => {
    beforeEach(async () => {
      ({ fake, app } = await startApp(TEMPLATES));
    });

    test('reporting attaches the templated links (values URL-encoded) and bookmarks them in the channel', async () => {
      const incident = await reportIncident(app, { title: 'Checkout & payments down', answers: { commander: COMMANDER } });
      const resources = await app.deps.resources.list(incident.id);
      expect(resources.map(({ kind, title, url }) => ({ kind, title, url }))).toEqual([
        { kind: 'conference', title: 'Conference', url: 'https://meet.example.com/dispatch-1' },
        { kind: 'ticket', title: 'Ticket', url: 'https://tickets.example.com/new?summary=Checkout%20%26%20payments%20down&incident=1' },
      ]);
      expect(fake.bookmarks.map(({ channel_id, title, link }) => ({ channel_id, title, link }))).toEqual([
        { channel_id: incident.channelId, title: 'Conference', link: 'https://meet.example.com/dispatch-1' },
        {
          channel_id: incident.channelId,
          title: 'Ticket',
          link: 'https://tickets.example.com/new?summary=Checkout%20%26%20payments%20down&incident=1',
        },
      ]);
      const list = await listResources(incident);
      expect(blockText(list.body)).toContain('<https://meet.example.com/dispatch-1|Conference>');
    });

    test('a bookmark failure loses no resource: the reporter is told, and a retried setup bookmarks each link once', async () => {
      fake.failNext('bookmarks.add', 'missing_scope');
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      expect(await app.deps.resources.list(incident.id)).toHaveLength(2);
      const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === REPORTER);
      expect(blockText(dm?.args ?? {})).toContain('Attaching the links from the URL templates');
      expect(blockText(dm?.args ?? {})).toContain('missing a permission');

      await app.interact(
        buttonClick({
          actionId: 'incident_retry_setup',
          value: String(incident.id),
          userId: REPORTER,
          triggerId: fake.issueTriggerId(),
          responseUrl: fake.responseUrl(),
        }),
      );
      await app.settle();
      expect(await app.deps.resources.list(incident.id)).toHaveLength(2);
      expect(fake.bookmarks.map((bookmark) => bookmark.title)).toEqual(['Conference', 'Ticket']);
    });
  });

  describe('without templates', () => {
    let incident: Incident;
    beforeEach(async () => {
      ({ fake, app } = await startApp());
      incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    });

    test('nothing is attached at report time', async () => {
      expect(await app.deps.resources.list(incident.id)).toEqual([]);
      expect(fake.callsTo('bookmarks.add')).toEqual([]);
    });

    test('the list shows the incident channel and an "Add resource" button, privately', async () => {
      const list = await listResources(incident);
      expect(list.body.response_type).toBe('ephemeral');
      const text = blockText(list.body);
      expect(text).toContain(`https://acme.slack.com/archives/${incident.channelId}`);
      expect(text).toContain('"action_id":"resource_add"');
    });

    test.each([['javascript:alert(1)'], ['ftp://files.example.com/runbook'], ['docs.example.com/runbook'], ['https://exa mple.com']])(
      'the link %s is refused inline, and nothing is added',
      async (url) => {
        await openForm(incident);
        const answer = await app.interact(viewSubmission(openedView(app), { kind: 'document', title: 'Runbook', url }, REPORTER));
        expect(answer.status).toBe(200);
        const body = answer.json() as { response_action: string; errors: Record<string, string> };
        expect(body.response_action).toBe('errors');
        expect(Object.keys(body.errors)).toEqual(['url']);
        expect(body.errors.url).toMatch(/https:\/\/ or http:\/\//);
        await app.settle();
        expect(await app.deps.resources.list(incident.id)).toEqual([]);
      },
    );

    test('a missing title is refused inline too', async () => {
      await openForm(incident);
      const answer = await app.interact(
        viewSubmission(openedView(app), { kind: 'document', title: '', url: 'https://docs.example.com' }, REPORTER),
      );
      expect(answer.json()).toMatchObject({ response_action: 'errors', errors: { title: 'Please give the link a title.' } });
    });

    test('a valid link is added, bookmarked, put on the timeline, and the list is updated in place', async () => {
      await listResources(incident);
      const responseUrl = await openForm(incident);
      const answer = await app.interact(
        viewSubmission(
          openedView(app),
          { kind: 'dashboard', title: 'Checkout <errors>', url: 'https://grafana.example.com/d/checkout?from=now-1h' },
          REPORTER,
        ),
      );
      expect(answer.text).toBe('');
      await app.settle();

      const [resource] = await app.deps.resources.list(incident.id);
      expect(resource).toMatchObject({ kind: 'dashboard', title: 'Checkout <errors>', addedBy: REPORTER });
      expect(fake.bookmarks.map((bookmark) => bookmark.link)).toEqual(['https://grafana.example.com/d/checkout?from=now-1h']);
      const update = fake.responseUrlPosts.find((post) => responseUrl.endsWith(post.path));
      expect(update?.body.replace_original).toBe(true);
      expect(blockText(update?.body ?? {})).toContain('<https://grafana.example.com/d/checkout?from=now-1h|Checkout &lt;errors&gt;>');
      expect(blockText(update?.body ?? {})).toContain(`https://acme.slack.com/archives/${incident.channelId}`);
      const timeline = await app.deps.timeline.list(incident.id);
      expect(timeline.at(-1)).toMatchObject({ kind: 'resource', actorId: REPORTER });
    });
  });
});
