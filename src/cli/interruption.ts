// Ctrl-C and SIGTERM, for the whole process: the first one aborts the signal every command
// is handed, so the work in progress stops where it can be resumed and the command exits
// 130 with a message saying how; a second one exits at once. Both signals mean the same, so
// a service manager's stop reads like a Ctrl-C.
import { EXIT_INTERRUPTED } from '../errors.js';

let controller: AbortController | undefined;

/** The process's interruption signal, watched from the first call on. */
export function interruptionSignal(): AbortSignal {
  if (controller !== undefined) return controller.signal;
  const watched = new AbortController();
  controller = watched;
  const onSignal = (): void => {
    if (watched.signal.aborted) process.exit(EXIT_INTERRUPTED);
    watched.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return watched.signal;
}
