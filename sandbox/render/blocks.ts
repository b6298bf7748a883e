/**
 * Block Kit as accessible HTML, for any valid payload (not particular layouts): header,
 * section (text, fields, accessory), context, divider, actions (buttons with styles and
 * confirm dialogs, static/user/conversation/channel/external selects, overflow, datepicker,
 * timepicker, checkboxes, radio buttons), image, rich_text, markdown and input blocks.
 *
 * Pure functions from data to HTML; every piece of text goes through escapeHtml or the
 * mrkdwn renderer. Interactive elements carry data-* attributes (block and action ids) that
 * the page's script turns into block_actions payloads.
 */
import { emojiFor } from './emoji';
import { escapeHtml, formatSlackDate, link, mrkdwnToHtml, plainTextToHtml, type RenderContext } from './mrkdwn';

type Json = Record<string, unknown>;

export interface BlockRenderContext extends RenderContext {
  /** People offered by user selects. */
  people: Array<{ id: string; name: string }>;
  /** Channels offered by conversation and channel selects. */
  conversations: Array<{ id: string; name: string }>;
  /** Modals: inline errors by block_id (response_action "errors"). */
  errors?: Record<string, string>;
  /** Modals: what was entered before (view state), by block_id then action_id. */
  values?: Record<string, Record<string, Json>>;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Slack makes up a block_id when the app gives none; the page does the same, stably. */
export function blockIdOf(block: Json, index: number): string {
  return typeof block.block_id === 'string' && block.block_id !== '' ? block.block_id : `block-${index}`;
}

/** A text object (plain_text or mrkdwn) as HTML. */
export function textObject(value: unknown, context: RenderContext): string {
  if (!isRecord(value)) return '';
  const text = str(value.text);
  return value.type === 'mrkdwn' ? mrkdwnToHtml(text, context) : plainTextToHtml(text, value.emoji !== false);
}

/** A text object as plain words (for labels and attributes), never HTML. */
export function plainWords(value: unknown): string {
  return isRecord(value) ? str(value.text) : '';
}

function attr(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`;
}

function dataAttrs(element: Json, blockId: string): string {
  return `${attr('data-block-id', blockId)}${attr('data-action-id', str(element.action_id))}${attr('data-kind', str(element.type))}`;
}

function confirmAttr(element: Json): string {
  if (!isRecord(element.confirm)) return '';
  const c = element.confirm;
  const json = JSON.stringify({
    title: plainWords(c.title) || 'Are you sure?',
    text: plainWords(c.text),
    confirm: plainWords(c.confirm) || 'Yes',
    deny: plainWords(c.deny) || 'Cancel',
    style: str(c.style),
  });
  return attr('data-confirm', json);
}

interface OptionJson {
  text: string;
  value: string;
  description: string;
}

function optionsOf(element: Json): Array<{ group?: string; options: OptionJson[] }> {
  const toOption = (o: unknown): OptionJson => {
    const option = isRecord(o) ? o : {};
    return { text: plainWords(option.text), value: str(option.value), description: plainWords(option.description) };
  };
  if (Array.isArray(element.option_groups)) {
    return element.option_groups
      .filter(isRecord)
      .map((g) => ({ group: plainWords(g.label), options: (Array.isArray(g.options) ? g.options : []).map(toOption) }));
  }
  return [{ options: (Array.isArray(element.options) ? element.options : []).map(toOption) }];
}

function optionTags(groups: Array<{ group?: string; options: OptionJson[] }>, selected: Set<string>): string {
  const tag = (o: OptionJson) =>
    `<option${attr('value', o.value)}${selected.has(o.value) ? ' selected' : ''}>${escapeHtml(o.text)}</option>`;
  return groups
    .map((g) =>
      g.group !== undefined ? `<optgroup${attr('label', g.group)}>${g.options.map(tag).join('')}</optgroup>` : g.options.map(tag).join(''),
    )
    .join('');
}

/** The values an element starts with: the state a person entered, else the app's initial_*. */
function initialValues(element: Json, stateValue: Json | undefined): string[] {
  if (stateValue) {
    const v = stateValue;
    if (typeof v.value === 'string') return [v.value];
    if (isRecord(v.selected_option)) return [str(v.selected_option.value)];
    if (Array.isArray(v.selected_options)) return v.selected_options.filter(isRecord).map((o) => str(o.value));
    for (const key of ['selected_user', 'selected_conversation', 'selected_channel', 'selected_date', 'selected_time']) {
      if (typeof v[key] === 'string') return [str(v[key])];
    }
    for (const key of ['selected_users', 'selected_conversations', 'selected_channels']) {
      if (Array.isArray(v[key])) return (v[key] as unknown[]).map(String);
    }
  }
  const e = element;
  if (typeof e.initial_value === 'string') return [e.initial_value];
  if (isRecord(e.initial_option)) return [str(e.initial_option.value)];
  if (Array.isArray(e.initial_options)) return e.initial_options.filter(isRecord).map((o) => str(o.value));
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel', 'initial_date', 'initial_time']) {
    if (typeof e[key] === 'string') return [str(e[key])];
  }
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels']) {
    if (Array.isArray(e[key])) return (e[key] as unknown[]).map(String);
  }
  return [];
}

/**
 * One interactive element. `label` names it for screen readers (an input block's label, or the
 * placeholder); `id` ties a modal input to its <label>.
 */
export function elementHtml(
  element: unknown,
  blockId: string,
  context: BlockRenderContext,
  options: { label?: string; id?: string; inModal?: boolean } = {},
): string {
  if (!isRecord(element)) return '';
  const type = str(element.type);
  const data = dataAttrs(element, blockId);
  const name = options.inModal ? attr('name', `${blockId}/${str(element.action_id)}`) : '';
  const id = attr('id', options.id);
  const placeholder = plainWords(element.placeholder);
  const label = options.id ? '' : attr('aria-label', options.label || placeholder || type.replace(/_/g, ' '));
  const state = context.values?.[blockId]?.[str(element.action_id)];
  const initial = initialValues(element, state);
  const selected = new Set(initial);
  switch (type) {
    case 'button': {
      const style = str(element.style);
      const text = plainTextToHtml(plainWords(element.text), true);
      const a11y = attr('aria-label', str(element.accessibility_label) || undefined);
      const url = typeof element.url === 'string' ? element.url : undefined;
      const cls = `btn${style ? ` btn-${escapeHtml(style)}` : ''}`;
      if (url && !element.action_id) return link(url, `<span class="${cls}">${text}</span>`);
      return `<button type="button" class="${cls}"${data}${attr('data-value', str(element.value))}${confirmAttr(element)}${attr('data-url', url)}${a11y}>${text}</button>`;
    }
    case 'static_select':
    case 'multi_static_select':
    case 'external_select':
    case 'multi_external_select': {
      const multiple = type.startsWith('multi_') ? ' multiple' : '';
      const external = type.includes('external');
      const groups = external
        ? [
            {
              options: isRecord(element.initial_option)
                ? [{ text: plainWords(element.initial_option.text), value: str(element.initial_option.value), description: '' }]
                : [],
            },
          ]
        : optionsOf(element);
      const blank = multiple ? '' : `<option value="">${escapeHtml(placeholder || 'Choose…')}</option>`;
      return `<select${id}${name}${label}${data}${multiple}${confirmAttr(element)}${external ? ' data-external="true"' : ''}>${blank}${optionTags(groups, selected)}</select>`;
    }
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select': {
      const multiple = type.startsWith('multi_') ? ' multiple' : '';
      const people = type.includes('users');
      const choices = people ? context.people : context.conversations;
      const blank = multiple ? '' : `<option value="">${escapeHtml(placeholder || 'Choose…')}</option>`;
      const tags = choices
        .map(
          (c) => `<option${attr('value', c.id)}${selected.has(c.id) ? ' selected' : ''}>${people ? '' : '#'}${escapeHtml(c.name)}</option>`,
        )
        .join('');
      return `<select${id}${name}${label}${data}${multiple}${confirmAttr(element)}>${blank}${tags}</select>`;
    }
    case 'overflow': {
      const items = optionsOf(element)
        .flatMap((g) => g.options)
        .map(
          (o) =>
            `<li><button type="button" role="menuitem" class="menu-item"${data}${attr('data-value', o.value)}>${escapeHtml(o.text)}</button></li>`,
        )
        .join('');
      return `<details class="overflow"><summary aria-label="More options" aria-haspopup="menu">⋯</summary><ul role="menu">${items}</ul></details>`;
    }
    case 'datepicker':
      return `<input type="date"${id}${name}${label}${data}${attr('value', initial[0])}>`;
    case 'timepicker':
      return `<input type="time"${id}${name}${label}${data}${attr('value', initial[0])}>`;
    case 'datetimepicker':
      return `<input type="datetime-local"${id}${name}${label}${data}>`;
    case 'checkboxes':
    case 'radio_buttons': {
      const inputType = type === 'checkboxes' ? 'checkbox' : 'radio';
      const groupName = `${blockId}/${str(element.action_id)}`;
      const items = optionsOf(element)
        .flatMap((g) => g.options)
        .map(
          (o) =>
            `<label class="choice"><input type="${inputType}"${attr('name', groupName)}${attr('value', o.value)}${data}${selected.has(o.value) ? ' checked' : ''}> ${escapeHtml(o.text)}${o.description ? ` <small>${escapeHtml(o.description)}</small>` : ''}</label>`,
        )
        .join('');
      return `<div role="${type === 'checkboxes' ? 'group' : 'radiogroup'}"${id}${label}>${items}</div>`;
    }
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value = initial[0] ?? '';
      const ph = attr('placeholder', placeholder || undefined);
      const req = '';
      if (type === 'plain_text_input' && element.multiline === true) {
        return `<textarea${id}${name}${label}${data}${ph}${req}${attr('maxlength', typeof element.max_length === 'number' ? String(element.max_length) : undefined)}>${escapeHtml(value)}</textarea>`;
      }
      const inputType =
        type === 'email_text_input' ? 'email' : type === 'url_text_input' ? 'url' : type === 'number_input' ? 'number' : 'text';
      return `<input type="${inputType}"${id}${name}${label}${data}${ph}${attr('value', value || undefined)}${attr('maxlength', typeof element.max_length === 'number' ? String(element.max_length) : undefined)}>`;
    }
    case 'image':
      return imageHtml(str(element.image_url), str(element.alt_text), 'thumb');
    case 'workflow_button':
      return `<button type="button" class="btn" disabled>${plainTextToHtml(plainWords(element.text))}</button>`;
    case 'rich_text_input':
      return `<textarea${id}${name}${label}${data}></textarea>`;
    default:
      return `<span class="unsupported">[${escapeHtml(type)}]</span>`;
  }
}

function imageHtml(url: string, alt: string, cls: string): string {
  const safe = /^(https?:|data:image\/(png|jpeg|gif|svg\+xml);)/i.test(url) ? url : '';
  return `<img class="${cls}"${attr('src', safe)}${attr('alt', alt)} loading="lazy">`;
}

// ----- rich_text ------------------------------------------------------------------------------

function richElement(element: unknown, context: RenderContext): string {
  if (!isRecord(element)) return '';
  const style = isRecord(element.style) ? element.style : {};
  const wrap = (html: string): string => {
    let out = html;
    if (style.code) out = `<code>${out}</code>`;
    if (style.bold) out = `<strong>${out}</strong>`;
    if (style.italic) out = `<em>${out}</em>`;
    if (style.strike) out = `<s>${out}</s>`;
    return out;
  };
  switch (element.type) {
    case 'text':
      return wrap(escapeHtml(str(element.text)).replace(/\n/g, '<br>'));
    case 'link':
      return wrap(link(str(element.url), escapeHtml(str(element.text) || str(element.url))));
    case 'user':
      return `<span class="mention">@${escapeHtml(context.userName(str(element.user_id)))}</span>`;
    case 'channel':
      return `<span class="mention">#${escapeHtml(context.channelName(str(element.channel_id)))}</span>`;
    case 'usergroup':
      return `<span class="mention">@${escapeHtml(str(element.usergroup_id))}</span>`;
    case 'broadcast':
      return `<span class="mention">@${escapeHtml(str(element.range))}</span>`;
    case 'emoji': {
      const name = str(element.name);
      const e =
        emojiFor(name) ??
        (typeof element.unicode === 'string'
          ? String.fromCodePoint(...element.unicode.split('-').map((h) => Number.parseInt(h, 16)))
          : `:${name}:`);
      return `<span class="emoji" role="img" aria-label="${escapeHtml(name)}">${escapeHtml(e)}</span>`;
    }
    case 'date': {
      const n = Number(element.timestamp);
      return `<time>${escapeHtml(formatSlackDate(n, str(element.format) || '{date}', context))}</time>`;
    }
    case 'color':
      return `<span class="color">${escapeHtml(str(element.value))}</span>`;
    default:
      return '';
  }
}

function richBlockElement(element: unknown, context: RenderContext): string {
  if (!isRecord(element)) return '';
  const inner = (Array.isArray(element.elements) ? element.elements : []).map((e) => richElement(e, context)).join('');
  switch (element.type) {
    case 'rich_text_section':
      return `<p>${inner}</p>`;
    case 'rich_text_quote':
      return `<blockquote>${inner}</blockquote>`;
    case 'rich_text_preformatted':
      return `<pre>${inner}</pre>`;
    case 'rich_text_list': {
      const tag = element.style === 'ordered' ? 'ol' : 'ul';
      const items = (Array.isArray(element.elements) ? element.elements : [])
        .map((e) => `<li>${richBlockElement(e, context).replace(/^<p>|<\/p>$/g, '')}</li>`)
        .join('');
      return `<${tag}>${items}</${tag}>`;
    }
    default:
      return '';
  }
}

// ----- blocks ----------------------------------------------------------------------------------

function inputBlock(block: Json, blockId: string, context: BlockRenderContext): string {
  const id = `input-${blockId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const label = plainWords(block.label);
  const error = context.errors?.[blockId];
  const errorId = `${id}-error`;
  const hint = isRecord(block.hint) ? `<div class="hint">${textObject(block.hint, context)}</div>` : '';
  const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
  const element = isRecord(block.element) ? block.element : {};
  const grouped = element.type === 'checkboxes' || element.type === 'radio_buttons';
  let control = elementHtml(element, blockId, context, { id, inModal: true });
  if (error) control = control.replace(/^<(\w+)/, `<$1 aria-invalid="true" aria-describedby="${errorId}"`);
  if (grouped) control = control.replace(/^<div /, `<div aria-labelledby="${id}-label" `);
  const labelTag = grouped
    ? `<span class="label" id="${id}-label">${escapeHtml(label)}${optional}</span>`
    : `<label for="${id}">${escapeHtml(label)}${optional}</label>`;
  const errorHtml = error ? `<div class="field-error" id="${errorId}" role="alert">${escapeHtml(error)}</div>` : '';
  return `<div class="block input${error ? ' has-error' : ''}"${attr('data-block-id', blockId)}${block.optional === true ? '' : ' data-required="true"'}>${labelTag}${control}${errorHtml}${hint}</div>`;
}

export function blockHtml(block: unknown, index: number, context: BlockRenderContext): string {
  if (!isRecord(block)) return '';
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return `<h3 class="block header">${plainTextToHtml(plainWords(block.text))}</h3>`;
    case 'section': {
      const text = block.text !== undefined ? `<div class="text">${textObject(block.text, context)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${block.fields.map((f) => `<div class="field">${textObject(f, context)}</div>`).join('')}</div>`
        : '';
      const accessory =
        block.accessory !== undefined
          ? `<div class="accessory">${elementHtml(block.accessory, blockId, context, { label: plainWords(block.text).slice(0, 60) })}</div>`
          : '';
      return `<div class="block section">${`<div class="body">${text}${fields}</div>`}${accessory}</div>`;
    }
    case 'divider':
      return '<hr class="block divider">';
    case 'context': {
      const elements = (Array.isArray(block.elements) ? block.elements : [])
        .map((e) =>
          isRecord(e) && e.type === 'image'
            ? imageHtml(str(e.image_url), str(e.alt_text), 'context-image')
            : `<span>${textObject(e, context)}</span>`,
        )
        .join(' ');
      return `<div class="block context">${elements}</div>`;
    }
    case 'actions': {
      const elements = (Array.isArray(block.elements) ? block.elements : []).map((e) => elementHtml(e, blockId, context)).join('');
      return `<div class="block actions" role="group" aria-label="Actions">${elements}</div>`;
    }
    case 'image': {
      const title = isRecord(block.title) ? `<figcaption>${textObject(block.title, context)}</figcaption>` : '';
      return `<figure class="block image">${imageHtml(str(block.image_url), str(block.alt_text), 'image')}${title}</figure>`;
    }
    case 'rich_text':
      return `<div class="block rich-text">${(Array.isArray(block.elements) ? block.elements : []).map((e) => richBlockElement(e, context)).join('')}</div>`;
    case 'markdown':
      return `<div class="block markdown">${mrkdwnToHtml(str(block.text).replace(/\*\*(.+?)\*\*/g, '*$1*'), context)}</div>`;
    case 'input':
      return inputBlock(block, blockId, context);
    case 'video':
      return `<div class="block video">${link(str(block.title_url) || str(block.video_url), escapeHtml(plainWords(block.title)))}</div>`;
    default:
      return `<div class="block unsupported">[${escapeHtml(str(block.type))} block]</div>`;
  }
}

export function blocksHtml(blocks: unknown, context: BlockRenderContext): string {
  return (Array.isArray(blocks) ? blocks : []).map((block, index) => blockHtml(block, index, context)).join('');
}
