/**
 * views.open, views.push, views.update (view_id or external_id, optional hash), views.publish;
 * and the modal stack on each person's screen, which view_submission answers change
 * (response_action errors, update, push, clear) exactly as Slack applies them.
 */
import { randomBytes } from 'node:crypto';
import { type Args, argString, fail, failArguments, isRecord, required } from '../args';
import { viewErrors } from '../blockKit';
import type { MethodTable, WorkspaceState } from '../state';
import type { FakeView } from '../types';

function checkView(raw: unknown, allowedTypes: string[]): Record<string, unknown> {
  const errors = viewErrors(raw, allowedTypes);
  if (errors.length > 0) failArguments(errors);
  return raw as Record<string, unknown>;
}

function newHash(ws: WorkspaceState): string {
  return `${ws.nowSeconds()}.${randomBytes(6).toString('base64url')}`;
}

function slackView(
  ws: WorkspaceState,
  id: string,
  view: Record<string, unknown>,
  hash: string,
  stored: Partial<FakeView>,
): Record<string, unknown> {
  return {
    ...view,
    id,
    team_id: ws.teamId,
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    state: { values: {} },
    hash,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    root_view_id: stored.root_view_id ?? id,
    previous_view_id: stored.previous_view_id ?? null,
    app_id: ws.appId,
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
}

function storeView(ws: WorkspaceState, raw: Record<string, unknown>, existing?: FakeView, placement: Partial<FakeView> = {}): FakeView {
  const id = existing?.id ?? ws.newId('V');
  const hash = newHash(ws);
  const externalId = typeof raw.external_id === 'string' && raw.external_id !== '' ? raw.external_id : undefined;
  const place: Partial<FakeView> = {
    root_view_id: existing?.root_view_id ?? placement.root_view_id ?? id,
    ...((existing?.previous_view_id ?? placement.previous_view_id)
      ? { previous_view_id: existing?.previous_view_id ?? placement.previous_view_id }
      : {}),
  };
  const userId = existing?.user_id ?? placement.user_id;
  const openedBy = existing?.opened_by ?? placement.opened_by;
  const stored: FakeView = {
    id,
    type: String(raw.type),
    hash,
    ...(externalId !== undefined ? { external_id: externalId } : {}),
    ...(userId !== undefined ? { user_id: userId } : {}),
    ...(openedBy !== undefined ? { opened_by: openedBy } : {}),
    ...place,
    root_view_id: place.root_view_id ?? id,
    // Like Slack, an update keeps what the person entered in inputs it leaves in place.
    view: { ...slackView(ws, id, raw, hash, place), ...(existing ? { state: existing.view.state } : {}) },
    updates: existing ? existing.updates + 1 : 0,
  };
  ws.views.set(id, stored);
  return stored;
}

function checkExternalIdFree(ws: WorkspaceState, view: Record<string, unknown>, exceptId?: string): void {
  const externalId = view.external_id;
  if (typeof externalId !== 'string' || externalId === '') return;
  for (const v of ws.views.values()) {
    if (v.external_id === externalId && v.id !== exceptId) fail('duplicate_external_id');
  }
}

/** The modals open on `user`'s screen, bottom first ('' for triggers that named nobody). */
export function modalStack(ws: WorkspaceState, user: string): FakeView[] {
  return (ws.modalStacks.get(user) ?? []).map((id) => ws.views.get(id)).filter((v): v is FakeView => v !== undefined);
}

function pushModal(ws: WorkspaceState, user: string, raw: Record<string, unknown>, replaceStack: boolean): FakeView {
  const stack = replaceStack ? [] : (ws.modalStacks.get(user) ?? []);
  const below = stack.at(-1);
  const root = stack[0];
  const stored = storeView(ws, raw, undefined, {
    ...(user ? { opened_by: user } : {}),
    ...(below ? { previous_view_id: below, root_view_id: root } : {}),
  });
  ws.modalStacks.set(user, [...stack, stored.id]);
  ws.changed({ kind: 'view', user, viewId: stored.id });
  return stored;
}

/** Closes the top modal (or the whole stack) on `user`'s screen. */
export function closeModal(ws: WorkspaceState, user: string, all = false): void {
  const stack = ws.modalStacks.get(user) ?? [];
  const closed = all ? stack : stack.slice(-1);
  ws.modalStacks.set(user, all ? [] : stack.slice(0, -1));
  for (const id of closed) ws.changed({ kind: 'view', user, viewId: id });
}

/** What the page should show after the app answered a view_submission. */
export type SubmissionOutcome =
  | { kind: 'closed' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'updated' | 'pushed'; view: FakeView }
  | { kind: 'invalid'; messages: string[] };

/**
 * Applies the app's answer to a view_submission as Slack does: no response_action closes the
 * view, `errors` shows them next to their inputs, `update` replaces the view, `push` adds one
 * on top, `clear` closes them all. A view Slack would refuse is refused with its messages.
 */
export function answerViewSubmission(ws: WorkspaceState, user: string, viewId: string, answer: unknown): SubmissionOutcome {
  const existing = ws.views.get(viewId);
  const body = isRecord(answer) ? answer : {};
  const action = typeof body.response_action === 'string' ? body.response_action : undefined;
  if (existing) delete existing.errors;
  switch (action) {
    case 'errors': {
      const errors = isRecord(body.errors) ? Object.fromEntries(Object.entries(body.errors).map(([k, v]) => [k, String(v)])) : {};
      if (existing) existing.errors = errors;
      ws.changed({ kind: 'view', user, viewId });
      return { kind: 'errors', errors };
    }
    case 'update':
    case 'push': {
      const messages = viewErrors(body.view, ['modal']);
      if (messages.length > 0) return { kind: 'invalid', messages };
      const raw = body.view as Record<string, unknown>;
      if (action === 'push') return { kind: 'pushed', view: pushModal(ws, user, raw, false) };
      const view = storeView(ws, raw, existing);
      ws.changed({ kind: 'view', user, viewId: view.id });
      return { kind: 'updated', view };
    }
    case 'clear':
      closeModal(ws, user, true);
      return { kind: 'closed' };
    default:
      closeModal(ws, user);
      return { kind: 'closed' };
  }
}

export function registerViewMethods(h: MethodTable, ws: WorkspaceState): void {
  h.set('views.open', (args) => {
    const view = checkView(args.view, ['modal']);
    checkExternalIdFree(ws, view);
    const { user } = ws.useTrigger(args);
    return { view: pushModal(ws, user ?? '', view, true).view };
  });
  h.set('views.push', (args: Args) => {
    const view = checkView(args.view, ['modal']);
    checkExternalIdFree(ws, view);
    const { user } = ws.useTrigger(args);
    return { view: pushModal(ws, user ?? '', view, false).view };
  });
  h.set('views.update', (args) => {
    const viewId = argString(args, 'view_id');
    const externalId = argString(args, 'external_id');
    if (!viewId && !externalId) failArguments(['[ERROR] missing required field: view_id or external_id']);
    const existing = viewId ? ws.views.get(viewId) : [...ws.views.values()].find((v) => v.external_id === externalId);
    if (!existing) fail('not_found');
    const hash = argString(args, 'hash');
    if (hash && hash !== existing.hash) fail('hash_conflict');
    const view = checkView(args.view, [existing.type]);
    checkExternalIdFree(ws, view, existing.id);
    const stored = storeView(ws, view, existing);
    ws.changed(
      existing.type === 'home' && existing.user_id
        ? { kind: 'home', user: existing.user_id }
        : { kind: 'view', user: existing.opened_by, viewId: stored.id },
    );
    return { view: stored.view };
  });
  h.set('views.publish', (args) => {
    const userId = required(args, 'user_id');
    if (!ws.isUser(userId)) fail('user_not_found');
    const view = checkView(args.view, ['home']);
    const existingId = ws.homeViews.get(userId);
    const existing = existingId ? ws.views.get(existingId) : undefined;
    const hash = argString(args, 'hash');
    if (hash && existing && hash !== existing.hash) fail('hash_conflict');
    const stored = storeView(ws, view, existing, { user_id: userId });
    ws.homeViews.set(userId, stored.id);
    ws.changed({ kind: 'home', user: userId });
    return { view: stored.view };
  });
}
