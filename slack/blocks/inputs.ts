import type { InputBlock, ModalView, PlainTextOption, View } from '@slack/types';
import { INPUT_ACTION } from './ids';
import { LIMITS, plain, truncate } from './text';

/** Builders for modal inputs; every input's action_id is INPUT_ACTION and its block_id names the field. */

export function option(value: string, label = value): PlainTextOption {
  return { text: plain(truncate(label, LIMITS.plainTextOption)), value };
}

/** What every input shares: the field's block_id, its label, whether it may stay empty, a hint. */
interface InputOptions {
  optional?: boolean;
  hint?: string;
}

function input(blockId: string, label: string, options: InputOptions, element: InputBlock['element']): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element,
  };
}

export function textInput(
  blockId: string,
  label: string,
  options: InputOptions & { initial?: string | null; multiline?: boolean; maxLength?: number; placeholder?: string } = {},
): InputBlock {
  return input(blockId, label, options, {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    multiline: options.multiline ?? false,
    ...(options.maxLength ? { max_length: options.maxLength } : {}),
    ...(options.initial ? { initial_value: options.initial } : {}),
    ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
  });
}

export function selectInput(
  blockId: string,
  label: string,
  choices: Array<string | PlainTextOption>,
  options: InputOptions & { initial?: string | null } = {},
): InputBlock {
  const choiceOptions = choices.slice(0, LIMITS.selectOptions).map((choice) => (typeof choice === 'string' ? option(choice) : choice));
  const initial = choiceOptions.find((candidate) => candidate.value === options.initial);
  return input(blockId, label, options, {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options: choiceOptions,
    ...(initial ? { initial_option: initial } : {}),
  });
}

export function userInput(blockId: string, label: string, options: InputOptions & { initial?: string | null } = {}): InputBlock {
  return input(blockId, label, options, {
    type: 'users_select',
    action_id: INPUT_ACTION,
    ...(options.initial ? { initial_user: options.initial } : {}),
  });
}

export function usersInput(blockId: string, label: string, options: InputOptions & { initial?: string[] } = {}): InputBlock {
  return input(blockId, label, options, {
    type: 'multi_users_select',
    action_id: INPUT_ACTION,
    ...(options.initial && options.initial.length > 0 ? { initial_users: options.initial } : {}),
  });
}

/** A select whose options Slack asks the app for as the person types (the options load URL, /menu). */
export function externalSelectInput(
  blockId: string,
  label: string,
  options: InputOptions & { placeholder?: string; minQueryLength?: number } = {},
): InputBlock {
  return input(blockId, label, options, {
    type: 'external_select',
    action_id: INPUT_ACTION,
    min_query_length: options.minQueryLength ?? 0,
    ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
  });
}

/** Checkboxes are optional unless told otherwise: none ticked is an answer too. */
export function checkboxesInput(blockId: string, label: string, choices: PlainTextOption[], options: InputOptions = {}): InputBlock {
  return input(
    blockId,
    label,
    { ...options, optional: options.optional ?? true },
    {
      type: 'checkboxes',
      action_id: INPUT_ACTION,
      options: choices.slice(0, 10),
    },
  );
}

/** A modal with Slack's limits applied: title, submit and close at most 24 characters. */
export function modal(spec: {
  callbackId: string;
  title: string;
  submit?: string;
  close?: string;
  blocks: ModalView['blocks'];
  privateMetadata?: object;
}): ModalView {
  const metadata = spec.privateMetadata ? JSON.stringify(spec.privateMetadata) : '';
  if (metadata.length > LIMITS.privateMetadata) throw new Error('private_metadata is over 3000 characters');
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    title: plain(truncate(spec.title, LIMITS.modalTitle)),
    ...(spec.submit ? { submit: plain(truncate(spec.submit, LIMITS.modalTitle)) } : {}),
    close: plain(truncate(spec.close ?? 'Cancel', LIMITS.modalTitle)),
    blocks: spec.blocks.slice(0, LIMITS.modalBlocks),
    private_metadata: metadata,
  };
}

export type { View };
