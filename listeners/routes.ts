import type { App, BlockAction, ButtonAction, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import type {
  ButtonArgs,
  CommandArgs,
  EventArgs,
  ListenerHandler as Handler,
  ListenerRoutes,
  MessageShortcutArgs,
  OptionsArgs,
  ViewSubmissionArgs,
} from './types';

/** Every request matches a pattern that accepts anything: the routes below choose by exact id. */
const ANY = /^/;

/**
 * One Bolt listener per surface instead of one per id. Bolt runs every registered listener's
 * matchers on every request (each on its own copy of the arguments); with some sixty listeners
 * that cost more than Bolt's whole handling of a request. Here each surface is one listener
 * that looks its id up in a map, so a request runs one matcher and one handler whatever the
 * number of listeners. An id registered twice is a wiring mistake and refused at start.
 */
export class ListenerRouter implements ListenerRoutes {
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly actions = new Map<string, Handler<ButtonArgs>>();
  private readonly actionPatterns: Array<{ pattern: RegExp; handler: Handler<ButtonArgs> }> = [];
  private readonly views = new Map<string, Handler<ViewSubmissionArgs>>();
  private readonly shortcuts = new Map<string, Handler<MessageShortcutArgs>>();
  private readonly suggestions = new Map<string, Handler<OptionsArgs>>();
  private readonly events = new Map<string, Handler<EventArgs<string>>>();

  command(slug: string, handler: Handler<CommandArgs>): void {
    add(this.commands, 'command', slug, handler);
  }

  action(constraint: { action_id: string | RegExp; type: 'block_actions' }, handler: Handler<ButtonArgs>): void {
    if (typeof constraint.action_id === 'string') add(this.actions, 'action', constraint.action_id, handler);
    else this.actionPatterns.push({ pattern: constraint.action_id, handler });
  }

  view(constraint: { callback_id: string; type: 'view_submission' }, handler: Handler<ViewSubmissionArgs>): void {
    add(this.views, 'view', constraint.callback_id, handler);
  }

  shortcut(constraint: { callback_id: string; type: 'message_action' }, handler: Handler<MessageShortcutArgs>): void {
    add(this.shortcuts, 'shortcut', constraint.callback_id, handler);
  }

  options(constraint: { type: 'block_suggestion'; block_id: string }, handler: Handler<OptionsArgs>): void {
    add(this.suggestions, 'options block', constraint.block_id, handler);
  }

  event<EventType extends string>(type: EventType, handler: Handler<EventArgs<EventType>>): void {
    // Called only for events whose type is `type` (see mount), which is what the handler expects.
    add(this.events, 'event', type, handler as unknown as Handler<EventArgs<string>>);
  }

  /**
   * Runs the listener of a stored event's type, as Bolt's event(type) would (one listener per
   * type, matched exactly); false when no listener takes that type. Without Bolt's processEvent:
   * the event was answered when it was stored, so there is nothing to authorize, ack or say, and
   * Bolt's per-event work (a context, a client, say and stream helpers, a middleware chain per
   * listener, each on its own copy of the arguments) cost more than most listeners' own work.
   */
  async dispatchEvent(body: EventArgs<string>['body']): Promise<boolean> {
    const handler = this.events.get(body.event.type);
    if (!handler) return false;
    await handler({ body, event: body.event, payload: body.event });
    return true;
  }

  /** Registers one Bolt listener per surface that has routes (events are dispatched by dispatchEvent). */
  mount(app: App): void {
    if (this.commands.size > 0) {
      app.command(ANY, async (args) => {
        await this.commands.get(args.command.command)?.(args);
      });
    }
    if (this.actions.size > 0 || this.actionPatterns.length > 0) {
      app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async (args) => {
        const actionId = args.action.action_id;
        const handler = this.actions.get(actionId) ?? this.actionPatterns.find((route) => route.pattern.test(actionId))?.handler;
        await handler?.(args);
      });
    }
    if (this.views.size > 0) {
      app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
        await this.views.get(args.view.callback_id)?.(args);
      });
    }
    if (this.shortcuts.size > 0) {
      app.shortcut<MessageShortcut>({ type: 'message_action' }, async (args) => {
        await this.shortcuts.get(args.shortcut.callback_id)?.(args);
      });
    }
    if (this.suggestions.size > 0) {
      app.options<'block_suggestion'>({ type: 'block_suggestion' }, async (args) => {
        await this.suggestions.get(args.body.block_id)?.(args);
      });
    }
  }
}

function add<Value>(routes: Map<string, Value>, surface: string, id: string, value: Value): void {
  if (routes.has(id)) throw new Error(`two listeners for the ${surface} ${id}`);
  routes.set(id, value);
}
