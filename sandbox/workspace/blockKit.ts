/**
 * Block Kit as Slack checks it: the shape against the JSON Schema generated from Slack's own
 * @slack/types (blockkit/slack-types.schema.json), and the documented limits the types cannot
 * carry (lengths, counts, unique ids) in code. Every problem is one Slack-style message with a
 * JSON pointer: `[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 * Messages answer `invalid_blocks`, views `invalid_arguments`, both with these messages.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { version as ajvVersion } from 'ajv/package.json';
import schemaFile from './blockkit/slack-types.schema.json';

type Json = Record<string, unknown>;
type Definitions = Record<string, Json>;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  textObject: 3000,
  actionsElements: 25,
  contextElements: 10,
  options: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  placeholder: 150,
  label: 2000,
  altText: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLength: 3000,
  messageText: 40000,
} as const;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refName(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
}

/** The `type` constant of an object schema, if it has one. */
function typeConst(schema: Json): string | undefined {
  const properties = schema.properties;
  if (!isRecord(properties) || !isRecord(properties.type)) return undefined;
  return typeof properties.type.const === 'string' ? properties.type.const : undefined;
}

/** The leaf object schemas of a (possibly nested) union, each with its `type` constant. */
function unionLeaves(schema: Json, definitions: Definitions, seen = new Set<string>()): Array<{ type?: string; schema: Json }> {
  const name = refName(schema.$ref);
  if (name !== undefined) {
    if (seen.has(name)) return [{ schema }];
    const target = definitions[name];
    if (!target) return [{ schema }];
    if (Array.isArray(target.anyOf)) return unionLeaves(target, definitions, new Set([...seen, name]));
    return [{ type: typeConst(target), schema }];
  }
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf.filter(isRecord).flatMap((branch) => unionLeaves(branch, definitions, seen));
  }
  return [{ type: typeConst(schema), schema }];
}

/**
 * Rewrites every `type`-tagged union (anyOf of blocks or elements) as if/then branches keyed
 * by `type`, so an error names the field that is wrong instead of "must match a schema in
 * anyOf" for each of twenty block types. Unions without a tag stay as they are.
 */
function taggedDefinitions(source: Definitions): Definitions {
  const result: Definitions = { ...source };
  for (const [name, definition] of Object.entries(source)) {
    if (!Array.isArray(definition.anyOf)) continue;
    const leaves = unionLeaves(definition, source);
    if (leaves.some((leaf) => leaf.type === undefined)) continue;
    const byType = new Map<string, Json[]>();
    for (const leaf of leaves) byType.set(leaf.type as string, [...(byType.get(leaf.type as string) ?? []), leaf.schema]);
    result[name] = {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string', enum: [...byType.keys()] } },
      allOf: [...byType].map(([type, schemas]) => ({
        if: { properties: { type: { const: type } }, required: ['type'] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
        then: schemas.length === 1 ? schemas[0] : { anyOf: schemas },
      })),
    };
  }
  // Views and attachments accept only the blocks Slack knows, not any `{ type }`.
  result.AnyBlock = { $ref: '#/definitions/KnownBlock' };
  return result;
}

type ValidatorName = 'blocks' | 'modal' | 'home' | 'attachments';

const ROOTS: Record<ValidatorName, Json> = {
  blocks: { type: 'array', items: { $ref: 'slack#/definitions/KnownBlock' } },
  modal: { $ref: 'slack#/definitions/ModalView' },
  home: { $ref: 'slack#/definitions/HomeView' },
  attachments: { type: 'array', items: { $ref: 'slack#/definitions/MessageAttachment' } },
};

/**
 * Compiling Slack's 91 definitions takes ajv a second or more, which every test file would
 * pay. The compiled validators are cached as ajv's standalone code under node_modules/.cache,
 * keyed by a hash of the schema and this module's rewrite, and compiled in memory otherwise.
 */
function compileValidators(): Record<ValidatorName, ValidateFunction> {
  const definitions = taggedDefinitions((schemaFile as unknown as { definitions: Definitions }).definitions);
  const source = JSON.stringify({ definitions, ROOTS, ajv: ajvVersion });
  const cacheFile = join(
    __dirname,
    '..',
    '..',
    'node_modules',
    '.cache',
    'dispatch-blockkit',
    `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.js`,
  );
  try {
    if (existsSync(cacheFile)) return require(cacheFile) as Record<ValidatorName, ValidateFunction>;
  } catch {
    // A broken cache entry is rebuilt below.
  }
  // Loaded only when the cache misses: ajv itself takes a while to load.
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const ajv = new Ajv({ strict: false, allErrors: true, code: { source: true } });
  ajv.addSchema({ $id: 'slack', definitions });
  for (const [name, root] of Object.entries(ROOTS)) ajv.addSchema({ ...root, $id: name });
  try {
    const code = standaloneCode(ajv, { blocks: 'blocks', modal: 'modal', home: 'home', attachments: 'attachments' });
    mkdirSync(dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, cacheFile); // atomic: parallel test workers never read half a file
    return require(cacheFile) as Record<ValidatorName, ValidateFunction>;
  } catch {
    const compiled = {} as Record<ValidatorName, ValidateFunction>;
    for (const name of Object.keys(ROOTS) as ValidatorName[]) compiled[name] = ajv.getSchema(name) as ValidateFunction;
    return compiled;
  }
}

let compiledValidators: Record<ValidatorName, ValidateFunction> | undefined;

/** Compiled (or loaded) on first use, so importing the workspace costs nothing. */
function validator(name: ValidatorName): ValidateFunction {
  compiledValidators ??= compileValidators();
  return compiledValidators[name];
}

function schemaMessage(error: ErrorObject, pointer: string): string {
  const at = `${pointer}${error.instancePath}`;
  switch (error.keyword) {
    case 'required':
      return `[ERROR] missing required field: ${String(error.params.missingProperty)} [json-pointer:${at}]`;
    case 'additionalProperties':
      return `[ERROR] unsupported field: ${String(error.params.additionalProperty)} [json-pointer:${at}]`;
    case 'enum':
    case 'const': {
      const allowed = (error.params.allowedValues ?? [error.params.allowedValue]) as unknown[];
      return `[ERROR] must be one of: ${allowed.map(String).join(', ')} [json-pointer:${at}]`;
    }
    default:
      return `[ERROR] ${error.message ?? 'is invalid'} [json-pointer:${at}]`;
  }
}

/** ajv's errors as Slack's messages; an if/then mismatch is reported by its inner error alone. */
function schemaErrors(validate: ValidateFunction, value: unknown, pointer: string): string[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf');
  const anyOf = (validate.errors ?? []).filter((e) => e.keyword === 'anyOf');
  const messages = [...new Set((errors.length > 0 ? errors : anyOf).map((e) => schemaMessage(e, pointer)))];
  return messages.slice(0, 10);
}

function tooLong(limit: number, pointer: string): string {
  return `[ERROR] must be less than ${limit + 1} characters [json-pointer:${pointer}]`;
}

function tooMany(limit: number, pointer: string): string {
  return `[ERROR] no more than ${limit} items allowed [json-pointer:${pointer}]`;
}

function tooFew(pointer: string): string {
  return `[ERROR] must have at least 1 item [json-pointer:${pointer}]`;
}

/** Lengths and counts, walked over the whole payload by each object's `type`. */
class LimitChecker {
  readonly errors: string[] = [];

  private text(value: unknown, limit: number, pointer: string): void {
    if (!isRecord(value) || typeof value.text !== 'string') return;
    if (value.text.length === 0) this.errors.push(`[ERROR] must be at least 1 character [json-pointer:${pointer}/text]`);
    else if (value.text.length > limit) this.errors.push(tooLong(limit, `${pointer}/text`));
  }

  private string(value: unknown, limit: number, pointer: string): void {
    if (typeof value === 'string' && value.length > limit) this.errors.push(tooLong(limit, pointer));
  }

  private list(value: unknown, max: number, pointer: string, min = 0): void {
    if (!Array.isArray(value)) return;
    if (value.length > max) this.errors.push(tooMany(max, pointer));
    if (value.length < min) this.errors.push(tooFew(pointer));
  }

  private option(option: unknown, pointer: string): void {
    if (!isRecord(option)) return;
    this.text(option.text, LIMITS.optionText, `${pointer}/text`);
    this.text(option.description, LIMITS.optionText, `${pointer}/description`);
    this.string(option.value, LIMITS.optionValue, `${pointer}/value`);
    this.string(option.url, LIMITS.url, `${pointer}/url`);
  }

  private confirm(confirm: unknown, pointer: string): void {
    if (!isRecord(confirm)) return;
    this.text(confirm.title, LIMITS.confirmTitle, `${pointer}/title`);
    this.text(confirm.text, LIMITS.confirmText, `${pointer}/text`);
    this.text(confirm.confirm, LIMITS.confirmButton, `${pointer}/confirm`);
    this.text(confirm.deny, LIMITS.confirmButton, `${pointer}/deny`);
  }

  element(element: unknown, pointer: string): void {
    if (!isRecord(element)) return;
    this.string(element.action_id, LIMITS.actionId, `${pointer}/action_id`);
    this.text(element.placeholder, LIMITS.placeholder, `${pointer}/placeholder`);
    this.confirm(element.confirm, `${pointer}/confirm`);
    if (element.type === 'button') {
      this.text(element.text, LIMITS.buttonText, `${pointer}/text`);
      this.string(element.value, LIMITS.buttonValue, `${pointer}/value`);
      this.string(element.url, LIMITS.url, `${pointer}/url`);
      this.string(element.accessibility_label, LIMITS.optionText, `${pointer}/accessibility_label`);
    }
    if (element.type === 'image') this.string(element.alt_text, LIMITS.altText, `${pointer}/alt_text`);
    if (element.type === 'plain_text_input') {
      for (const key of ['min_length', 'max_length']) {
        const n = element[key];
        if (typeof n === 'number' && (n < 0 || n > LIMITS.inputLength)) {
          this.errors.push(`[ERROR] must be between 0 and ${LIMITS.inputLength} [json-pointer:${pointer}/${key}]`);
        }
      }
      this.string(element.initial_value, LIMITS.inputLength, `${pointer}/initial_value`);
    }
    if (element.type === 'datepicker' && typeof element.initial_date === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date)) {
      this.errors.push(`[ERROR] must be a date formatted YYYY-MM-DD [json-pointer:${pointer}/initial_date]`);
    }
    const options = Array.isArray(element.options) ? element.options : undefined;
    this.list(element.options, LIMITS.options, `${pointer}/options`);
    for (const [i, option] of (options ?? []).entries()) this.option(option, `${pointer}/options/${i}`);
    if (Array.isArray(element.option_groups)) {
      this.list(element.option_groups, LIMITS.optionGroups, `${pointer}/option_groups`);
      element.option_groups.forEach((group: unknown, g) => {
        if (!isRecord(group)) return;
        this.text(group.label, LIMITS.optionText, `${pointer}/option_groups/${g}/label`);
        this.list(group.options, LIMITS.options, `${pointer}/option_groups/${g}/options`);
        const groupOptions: unknown[] = Array.isArray(group.options) ? group.options : [];
        for (const [i, o] of groupOptions.entries()) this.option(o, `${pointer}/option_groups/${g}/options/${i}`);
      });
    }
    this.list(element.initial_options, LIMITS.options, `${pointer}/initial_options`);
    // A static select's initial option must be one of its options, as Slack insists.
    if (options && isRecord(element.initial_option)) {
      const initial = element.initial_option;
      const found = options.some((o: unknown) => isRecord(o) && o.value === initial.value && textOf(o.text) === textOf(initial.text));
      if (!found) this.errors.push(`[ERROR] must match one of the provided options [json-pointer:${pointer}/initial_option]`);
    }
  }

  blocks(blocks: unknown, pointer: string, max: number): void {
    if (!Array.isArray(blocks)) return;
    this.list(blocks, max, pointer);
    const blockIds = new Set<string>();
    blocks.forEach((block: unknown, index) => {
      const at = `${pointer}/${index}`;
      if (!isRecord(block)) return;
      if (typeof block.block_id === 'string') {
        if (block.block_id.length > LIMITS.blockId) this.errors.push(tooLong(LIMITS.blockId, `${at}/block_id`));
        else if (blockIds.has(block.block_id))
          this.errors.push(`[ERROR] duplicate block_id: ${block.block_id} [json-pointer:${at}/block_id]`);
        else blockIds.add(block.block_id);
      }
      switch (block.type) {
        case 'section':
          if (block.text === undefined && block.fields === undefined) {
            this.errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
          }
          this.text(block.text, LIMITS.sectionText, `${at}/text`);
          this.list(block.fields, LIMITS.sectionFields, `${at}/fields`);
          for (const [i, f] of (Array.isArray(block.fields) ? (block.fields as unknown[]) : []).entries()) {
            this.text(f, LIMITS.fieldText, `${at}/fields/${i}`);
          }
          this.element(block.accessory, `${at}/accessory`);
          break;
        case 'header':
          this.text(block.text, LIMITS.headerText, `${at}/text`);
          break;
        case 'actions':
        case 'context': {
          const limit = block.type === 'actions' ? LIMITS.actionsElements : LIMITS.contextElements;
          this.list(block.elements, limit, `${at}/elements`, 1);
          if (Array.isArray(block.elements)) {
            block.elements.forEach((element: unknown, i) => {
              if (block.type === 'context') this.text(element, LIMITS.textObject, `${at}/elements/${i}`);
              this.element(element, `${at}/elements/${i}`);
            });
          }
          break;
        }
        case 'input':
          this.text(block.label, LIMITS.label, `${at}/label`);
          this.text(block.hint, LIMITS.label, `${at}/hint`);
          this.element(block.element, `${at}/element`);
          break;
        case 'image':
          this.string(block.alt_text, LIMITS.altText, `${at}/alt_text`);
          this.string(block.image_url, LIMITS.url, `${at}/image_url`);
          this.text(block.title, LIMITS.altText, `${at}/title`);
          break;
        default:
          break;
      }
    });
  }
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** What Slack would find wrong with these message blocks (empty when it would accept them). */
export function messageBlockErrors(blocks: unknown, pointer = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${pointer}]`];
  const limits = new LimitChecker();
  limits.blocks(blocks, pointer, LIMITS.messageBlocks);
  return [...schemaErrors(validator('blocks'), blocks, pointer), ...limits.errors];
}

export function attachmentErrors(attachments: unknown): string[] {
  return schemaErrors(validator('attachments'), attachments, '/attachments');
}

/** What Slack would find wrong with a modal or Home tab (pointers start at /view). */
export function viewErrors(view: unknown, allowedTypes: string[]): string[] {
  if (!isRecord(view)) return ['[ERROR] failed to match all allowed schemas [json-pointer:/view]'];
  if (typeof view.type !== 'string' || !allowedTypes.includes(view.type)) {
    return [`[ERROR] must be one of: ${allowedTypes.join(', ')} [json-pointer:/view/type]`];
  }
  const errors = schemaErrors(view.type === 'modal' ? validator('modal') : validator('home'), view, '/view');
  const limits = new LimitChecker();
  limits.blocks(view.blocks, '/view/blocks', LIMITS.viewBlocks);
  errors.push(...limits.errors);
  if (view.type === 'modal') {
    for (const key of ['title', 'submit', 'close']) {
      const text = textOf(view[key]);
      if (text !== undefined && text.length > LIMITS.viewTitle) errors.push(tooLong(LIMITS.viewTitle, `/view/${key}/text`));
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) {
      errors.push('[ERROR] must provide submit when there are input blocks [json-pointer:/view/submit]');
    }
  }
  const stringLimits: Array<[string, number]> = [
    ['private_metadata', LIMITS.privateMetadata],
    ['callback_id', LIMITS.callbackId],
    ['external_id', LIMITS.callbackId],
  ];
  for (const [key, limit] of stringLimits) {
    const value = view[key];
    if (typeof value === 'string' && value.length > limit) errors.push(tooLong(limit, `/view/${key}`));
  }
  return errors;
}
