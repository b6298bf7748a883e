import type { App } from '@slack/bolt';
import type { Dependencies } from '../server/dependencies';

/** Wires every listener module to the app. */
export function registerListeners(_app: App, _deps: Dependencies): void {}
