import { readFileSync, writeFileSync } from 'node:fs';
import { buildPostmortem } from '../../flows/postmortem';
import { IncidentRecords } from '../../incidents/record';
import { escapeMarkdown, spanText } from '../../reports/postmortem';
import { Store } from '../../store';
import { EXPECTED_POSTMORTEM, NAMES, STORY_START, tellStory } from '../support/afterfireRecord';
import { ManualClock } from '../support/clock';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const nameOf = async (ids: string[]) => Object.fromEntries(ids.filter((id) => NAMES[id]).map((id) => [id, NAMES[id]]));

describe('Markdown escaping', () => {
  test('user text cannot start a heading, a list, a link, an image, HTML, code or a table cell', () => {
    expect(escapeMarkdown('# *bold* _x_ [a](b) ![i](u) <b>hi</b> a|b `c` ~s~ \\ &amp;')).toBe(
      '\\# \\*bold\\* \\_x\\_ \\[a\\](b) !\\[i\\](u) \\<b\\>hi\\</b\\> a\\|b \\`c\\` \\~s\\~ \\\\ &amp;amp;',
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. first\nsecond line')).toBe('1\\. first second line');
  });

  test('spans read to the minute', () => {
    expect(spanText(0)).toBe('0m');
    expect(spanText(45 * MINUTE)).toBe('45m');
    expect(spanText(3 * HOUR + 5 * MINUTE)).toBe('3h 5m');
    expect(spanText(26 * HOUR)).toBe('1d 2h');
  });
});

describe.each(databaseKinds)('the postmortem draft on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  test('is the stored expected document for the same record', async () => {
    const clock = new ManualClock(STORY_START);
    const incident = await tellStory(store, clock);
    const markdown = await buildPostmortem(new IncidentRecords(store), incident, {
      nameOf,
      channelUrl: 'https://acme.slack.com/archives/C0INCIDENT',
    });
    // UPDATE_POSTMORTEM_FIXTURE=1 rewrites the stored document after a deliberate change to the draft.
    if (process.env.UPDATE_POSTMORTEM_FIXTURE) writeFileSync(EXPECTED_POSTMORTEM, markdown);
    expect(markdown).toBe(readFileSync(EXPECTED_POSTMORTEM, 'utf8'));
  });
});
