/**
 * A request the domain refuses, with a sentence for the person who made it ("This incident is
 * already stable."). Not a bug: logged at info level, shown privately, nothing changes.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
