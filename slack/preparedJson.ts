/**
 * An answer serialized once and sent many times. A participant list of 200 people is ~25-40 KB
 * of JSON: stringifying and encoding it again for every request that gets the same answer costs
 * more CPU than everything else the cached answer leaves to do. The object stays what it was (a
 * message, frozen), so whatever does not know about the prepared body (Socket Mode, a replayed
 * request's ack, tests) reads it as the plain object; the HTTP receiver writes the bytes.
 */

const PREPARED_BODY = Symbol('prepared JSON body');

/** `T`, frozen, carrying its own JSON encoding (UTF-8). */
export type PreparedJson<T extends object> = Readonly<T> & { readonly [PREPARED_BODY]: Buffer };

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  for (const child of Object.values(value)) deepFreeze(child);
  Object.freeze(value);
}

/** Serializes `value` now. It is frozen (deeply), so the bytes can never disagree with the object. */
export function prepareJson<T extends object>(value: T): PreparedJson<T> {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  // Not enumerable (and a symbol): JSON.stringify, object spread and equality checks never see it.
  Object.defineProperty(value, PREPARED_BODY, { value: body, enumerable: false });
  deepFreeze(value);
  return value as PreparedJson<T>;
}

/** The JSON bytes of a value made by prepareJson; undefined for anything else. */
export function preparedBody(value: unknown): Buffer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const body: unknown = (value as { [PREPARED_BODY]?: unknown })[PREPARED_BODY];
  return Buffer.isBuffer(body) ? body : undefined;
}
