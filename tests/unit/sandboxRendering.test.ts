/**
 * The sandbox page's Block Kit and mrkdwn rendering: what Slack shows, and that no text can
 * put HTML or script into the page.
 */
import { type BlockRenderContext, blocksHtml } from '../../sandbox/render/blocks';
import { formatSlackDate, mrkdwnToHtml, plainTextToHtml } from '../../sandbox/render/mrkdwn';

const context: BlockRenderContext = {
  userName: (id) => ({ U1: 'Alice Chen', U2: '<b>Bob</b>' })[id] ?? id,
  channelName: (id) => ({ C1: 'general' })[id] ?? id,
  timeZone: 'America/New_York',
  now: new Date('2026-03-10T15:00:00Z'),
  people: [
    { id: 'U1', name: 'Alice Chen' },
    { id: 'U2', name: 'Bob' },
  ],
  conversations: [{ id: 'C1', name: 'general' }],
};

describe('mrkdwn', () => {
  test('bold, italic, strike, code, preformatted, quotes and lists', () => {
    expect(mrkdwnToHtml('*Status:* _stable_ ~old~ `x<y`', context)).toBe(
      '<strong>Status:</strong> <em>stable</em> <s>old</s> <code>x&lt;y</code>',
    );
    expect(mrkdwnToHtml('```a *b*\n<c>```', context)).toBe('<pre>a *b*\n&lt;c&gt;</pre>');
    expect(mrkdwnToHtml('> quoted\n> more\nafter', context)).toBe('<blockquote>quoted<br>more</blockquote><br>after');
    expect(mrkdwnToHtml('• one\n• two', context)).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(mrkdwnToHtml('snake_case_name and 2*3*4', context)).toBe('snake_case_name and 2*3*4');
  });

  test('links, mentions, channels, special mentions and emoji', () => {
    expect(mrkdwnToHtml('<https://status.example.com/a?b=1&amp;c=2|Status page>', context)).toBe(
      '<a href="https://status.example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">Status page</a>',
    );
    expect(mrkdwnToHtml('<@U1> in <#C1> and <#C9|war-room>, <!here>', context)).toBe(
      '<span class="mention">@Alice Chen</span> in <span class="mention">#general</span> and <span class="mention">#war-room</span>, <span class="mention">@here</span>',
    );
    expect(mrkdwnToHtml(':stopwatch: :no_such_emoji:', context)).toBe(
      '<span class="emoji" role="img" aria-label="stopwatch">⏱️</span> :no_such_emoji:',
    );
  });

  test('<!date> tokens in the viewer’s time zone, with the fallback when unreadable', () => {
    const seconds = Date.parse('2026-03-10T14:05:00Z') / 1000;
    expect(mrkdwnToHtml(`<!date^${seconds}^{date_short} at {time}|fallback>`, context)).toBe(
      `<time datetime="2026-03-10T14:05:00.000Z">Mar 10, 2026 at 10:05 AM</time>`,
    );
    expect(formatSlackDate(seconds, '{date_pretty} {ago}', context)).toBe('today 55 minutes ago');
    expect(formatSlackDate(seconds, '{date_long}', { ...context, timeZone: 'Asia/Tokyo' })).toBe('Tuesday, March 10th, 2026');
    expect(mrkdwnToHtml('<!date^nope^{date}|March 1>', context)).toContain('March 1');
  });

  test('escaping: typed HTML, script, disguised links and forged placeholders never become markup', () => {
    // What an app sends for a title someone typed: Slack's entities.
    expect(mrkdwnToHtml('&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"', context)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;',
    );
    // Raw angle brackets from a careless app are still text.
    expect(mrkdwnToHtml('<script>alert(1)</script>', context)).not.toMatch(/<script/i);
    expect(mrkdwnToHtml('<img src=x onerror=alert(1)>', context)).not.toMatch(/<img/i);
    expect(mrkdwnToHtml('<javascript:alert(1)|click me>', context)).toBe('click me');
    expect(mrkdwnToHtml('<https://x.example" onmouseover="alert(1)|x>', context)).toContain(
      'href="https://x.example&quot; onmouseover=&quot;alert(1)"',
    );
    expect(mrkdwnToHtml('\uE0000\uE001<b>', context)).not.toContain('<b>');
    // A user's display name is text too.
    expect(mrkdwnToHtml('<@U2>', context)).toBe('<span class="mention">@&lt;b&gt;Bob&lt;/b&gt;</span>');
    expect(plainTextToHtml('<em>hi</em> :fire:')).toBe(
      '&lt;em&gt;hi&lt;/em&gt; <span class="emoji" role="img" aria-label="fire">🔥</span>',
    );
  });
});

describe('Block Kit', () => {
  test('header, section with fields and a button accessory, context, divider', () => {
    const html = blocksHtml(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Checkout <down>' } },
        {
          type: 'section',
          block_id: 'summary',
          text: { type: 'mrkdwn', text: '*Status* Active' },
          fields: [{ type: 'mrkdwn', text: '*Priority*\nHigh' }],
          accessory: { type: 'button', action_id: 'edit', text: { type: 'plain_text', text: 'Edit' }, value: '42' },
        },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Reported by <@U1>' }] },
      ],
      context,
    );
    expect(html).toContain('<h3 class="block header">Checkout &lt;down&gt;</h3>');
    expect(html).toContain('<div class="field"><strong>Priority</strong><br>High</div>');
    expect(html).toContain(
      '<button type="button" class="btn" data-block-id="summary" data-action-id="edit" data-kind="button" data-value="42">Edit</button>',
    );
    expect(html).toContain('<hr class="block divider">');
    expect(html).toContain('Reported by <span class="mention">@Alice Chen</span>');
  });

  test('actions: button styles and confirm dialogs, selects with options, users and channels, overflow, datepicker', () => {
    const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });
    const html = blocksHtml(
      [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'close',
              style: 'danger',
              text: { type: 'plain_text', text: 'Close incident' },
              confirm: {
                title: { type: 'plain_text', text: 'Close?' },
                text: { type: 'plain_text', text: 'Sure' },
                confirm: { type: 'plain_text', text: 'Close' },
                deny: { type: 'plain_text', text: 'Keep' },
              },
            },
            {
              type: 'static_select',
              action_id: 'prio',
              placeholder: { type: 'plain_text', text: 'Priority' },
              options: [option('High', 'high'), option('Low', 'low')],
              initial_option: option('Low', 'low'),
            },
            { type: 'users_select', action_id: 'who', placeholder: { type: 'plain_text', text: 'Assignee' } },
            { type: 'conversations_select', action_id: 'where' },
            { type: 'overflow', action_id: 'more', options: [option('Snooze', 'snooze')] },
            { type: 'datepicker', action_id: 'when', initial_date: '2026-03-10' },
          ],
        },
      ],
      context,
    );
    expect(html).toContain('class="btn btn-danger"');
    expect(html).toContain(
      'data-confirm="{&quot;title&quot;:&quot;Close?&quot;,&quot;text&quot;:&quot;Sure&quot;,&quot;confirm&quot;:&quot;Close&quot;,&quot;deny&quot;:&quot;Keep&quot;',
    );
    expect(html).toContain(
      '<select aria-label="Priority" data-block-id="block-0" data-action-id="prio" data-kind="static_select"><option value="">Priority</option><option value="high">High</option><option value="low" selected>Low</option></select>',
    );
    expect(html).toContain('<option value="U1">Alice Chen</option>');
    expect(html).toContain('<option value="C1">#general</option>');
    expect(html).toContain(
      '<button type="button" role="menuitem" class="menu-item" data-block-id="block-0" data-action-id="more" data-kind="overflow" data-value="snooze">Snooze</button>',
    );
    expect(html).toContain(
      '<input type="date" aria-label="datepicker" data-block-id="block-0" data-action-id="when" data-kind="datepicker" value="2026-03-10">',
    );
  });

  test('input blocks: labelled controls, optional marks, entered values and inline errors', () => {
    const html = blocksHtml(
      [
        {
          type: 'input',
          block_id: 'title',
          label: { type: 'plain_text', text: 'Title' },
          element: { type: 'plain_text_input', action_id: 'value' },
        },
        {
          type: 'input',
          block_id: 'notes',
          optional: true,
          label: { type: 'plain_text', text: 'Notes' },
          element: { type: 'plain_text_input', action_id: 'value', multiline: true },
        },
      ],
      { ...context, errors: { title: 'Say what is broken' }, values: { notes: { value: { type: 'plain_text_input', value: '<x>' } } } },
    );
    expect(html).toContain(
      '<label for="input-title">Title</label><input aria-invalid="true" aria-describedby="input-title-error" type="text" id="input-title" name="title/value"',
    );
    expect(html).toContain('<div class="field-error" id="input-title-error" role="alert">Say what is broken</div>');
    expect(html).toContain(
      '<label for="input-notes">Notes <span class="optional">(optional)</span></label><textarea id="input-notes" name="notes/value"',
    );
    expect(html).toContain('>&lt;x&gt;</textarea>');
  });

  test('rich_text, image and an unknown block', () => {
    const html = blocksHtml(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: '<i>bold</i>', style: { bold: true } },
                { type: 'user', user_id: 'U1' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'ordered',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'first' }] }],
            },
          ],
        },
        { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'chart "x"' },
        { type: 'mystery' },
      ],
      context,
    );
    expect(html).toContain('<p><strong>&lt;i&gt;bold&lt;/i&gt;</strong><span class="mention">@Alice Chen</span></p>');
    expect(html).toContain('<ol><li>first</li></ol>');
    expect(html).toContain('<img class="image" src="" alt="chart &quot;x&quot;" loading="lazy">');
    expect(html).toContain('[mystery block]');
  });
});
