// The one place where an outcome becomes a message on stderr and an exit code.
import { CliError, EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { describeAwsError, isAwsError } from '../aws/describeAwsError.js';
import { error as printError } from './messages.js';

/** Exit code of a reader that closed stdout early, as if killed by SIGPIPE. */
export const EXIT_BROKEN_PIPE = 141;

export function exitCodeFor(failure: unknown): number {
  if (failure instanceof CliError) {
    if (failure.message !== '') printError(failure.message);
    return failure.exitCode;
  }
  if ((failure as { code?: string } | null)?.code === 'EPIPE') return EXIT_BROKEN_PIPE;
  if (isAwsError(failure)) {
    printError(describeAwsError(failure));
    return EXIT_FAILURE;
  }
  const message = failure instanceof Error ? failure.message : String(failure);
  printError(`unexpected error: ${message}`);
  if (process.env.GLACIER_DEBUG !== undefined && failure instanceof Error) process.stderr.write(`${failure.stack}\n`);
  return EXIT_FAILURE;
}

/** Exit once whatever was written to stdout has been handed to the OS. */
export function exitAfterFlush(code: number): void {
  process.exitCode = code;
  if (process.stdout.destroyed || !process.stdout.writable) process.exit(withStdoutFailure(code));
  process.stdout.write('', () => process.exit(withStdoutFailure(code)));
}

/** Payload that could not be written (a full disk, a closed pipe) is no success. */
function withStdoutFailure(code: number): number {
  const failure: NodeJS.ErrnoException | null = process.stdout.errored;
  if (failure === null || code !== EXIT_OK) return code;
  if (failure.code === 'EPIPE') return EXIT_BROKEN_PIPE;
  printError(`cannot write to standard output: ${failure.message}`);
  return EXIT_FAILURE;
}

/** Run a command and exit with its code: the one it returns, else 0, else its failure's. */
export async function runAndExit(work: () => Promise<number | void>): Promise<void> {
  // Node ends a process whose event loop has emptied with status 0, even while the command's
  // promise is still pending. That would be success without the work: say so and fail.
  const unfinished = (): void => {
    printError('internal error: the command stopped before it finished; nothing it had not verified was delivered');
    process.exit(EXIT_FAILURE);
  };
  process.once('beforeExit', unfinished);
  let code = EXIT_OK;
  try {
    code = (await work()) ?? EXIT_OK;
  } catch (failure) {
    code = exitCodeFor(failure);
  }
  process.off('beforeExit', unfinished);
  exitAfterFlush(code);
}
