import { databaseKinds, testDatabase } from '../support/database';
import { personId, seedScale } from '../support/scaleSeed';
import { TestApp } from '../support/testApp';

/** The Home tab of a workspace with thousands of incidents stays short, valid and about the person. */
describe.each(databaseKinds)('the Home tab at scale (%s)', (kind) => {
  let app: TestApp;
  afterEach(() => app.stop());

  async function openHome(userId: string): Promise<{ blocks: Array<{ type: string }>; text: string }> {
    await app.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME0001', tab: 'home', event_ts: '1772442000.000300' });
    await app.settle();
    const call = app.fake
      .callsTo('views.publish')
      .filter((published) => published.args.user_id === userId)
      .pop();
    if (!call) throw new Error('no Home tab was published');
    const view = call.args.view as { blocks: Array<{ type: string }> };
    return { blocks: view.blocks, text: JSON.stringify(view.blocks) };
  }

  test('3,000 incidents, 60 open: the ones you are in first, then the newest, capped, with the rest counted', async () => {
    app = await TestApp.start({ database: await testDatabase(kind) });
    const { channelId } = await seedScale(app.deps.store.db, {
      incidents: 3000,
      participants: 200,
      openEvery: 50,
      now: new Date(),
      spacingMinutes: 120,
      pool: 100,
    });
    // personId(0) commands the big incident (dispatch-3000) and is in others across the years.
    const responder = await openHome(personId(0));
    expect(responder.blocks.length).toBeLessThanOrEqual(100);
    expect(responder.text).toMatch(/\*Incidents you are in\* \(\d+\)/);
    expect(responder.text.indexOf('dispatch-3000')).toBeLessThan(responder.text.indexOf('*Other open incidents*'));
    expect(responder.text).toMatch(/\d+ more open incidents not listed here/);
    expect(responder.text).toContain(channelId);

    const outsider = await openHome('U0OUTSIDER1');
    expect(outsider.text).not.toContain('Incidents you are in');
    expect(outsider.text).toContain('*Newest open incidents*');
    // 15 listed; the 60 open less the restricted ones (1 in 7) less those 15 are counted.
    const listed = (outsider.text.match(/\*dispatch-\d+\*/g) ?? []).length;
    expect(listed).toBe(15);
    const more = Number(/(\d+) more open incidents not listed here/.exec(outsider.text)?.[1]);
    const open = await app.deps.store.incidents.countOpenFor('U0OUTSIDER1');
    expect(more).toBe(open.active + open.stable - 15);
    expect(outsider.text).toContain(`${open.active} active incidents, ${open.stable} stable`);
  });
});
