import type { AppLogger } from '../logging/logger';

function describe(reason: unknown): { error: string; stack?: string } {
  if (reason instanceof Error) return { error: `${reason.name}: ${reason.message}`, stack: reason.stack };
  return { error: String(reason) };
}

/**
 * The last net under every request and job: a promise rejection nobody handled is logged once
 * (the request context it happened in is added by the logger) and the app keeps serving. Node's
 * default would end the process on the first one, dropping every request in flight.
 * An uncaught exception leaves the process in an unknown state: it is logged, then the process
 * exits so the supervisor restarts it; nothing acknowledged is lost (it is in the database).
 * Returns a function that removes the handlers again.
 */
export function installProcessSafetyNet(logger: AppLogger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onRejection = (reason: unknown) => {
    logger.error('unhandled promise rejection; the app keeps serving', describe(reason));
  };
  const onException = (error: Error) => {
    logger.error('uncaught exception; stopping so the process can be restarted', describe(error));
    // Let the log line reach its stream before the process ends.
    setImmediate(() => exit(1));
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
