// Ctrl-C or SIGTERM while nothing needs tidying (a download between segments, a wait for
// a job): say how to go on and exit at once with 130. Both signals mean the same here, so
// a service manager's stop reads like a Ctrl-C.
import { error } from './cli/messages.js';
import { EXIT_INTERRUPTED } from './errors.js';

/** Until the returned function is called, SIGINT and SIGTERM print MESSAGE and exit 130. */
export function exitOnInterrupt(message: string): () => void {
  const onSignal = (): void => {
    if (process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
    error(message);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
