/**
 * Requests whose ack was sent, by their body (the object Bolt hands every middleware). The
 * innermost middleware (ackUnhandled) acks whatever no listener did; asking here first spares
 * the usual case, a listener that acked, a ReceiverMultipleAckError (an Error, stack and all)
 * thrown and caught on every request.
 */
const acknowledged = new WeakSet<object>();

export function markAcknowledged(body: object): void {
  acknowledged.add(body);
}

export function wasAcknowledged(body: object): boolean {
  return acknowledged.has(body);
}
