// Typed errors raised anywhere in the tool; `reportAndExit` (src/cli/reportAndExit.ts)
// is the one place that turns them into a message on stderr and an exit code.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_TEMPFAIL from sysexits.h: a job is queued or pending; run the command again later. */
export const EXIT_TEMPFAIL = 75;
export const EXIT_INTERRUPTED = 130;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command line or unusable input: exit 2, before any network work. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

/** A vault, archive, job or upload that does not exist. */
export class NotFoundError extends CliError {
  constructor(message: string) {
    super(message, EXIT_FAILURE);
  }
}

/** A name held by several live archives: never pick one. */
export class AmbiguousNameError extends CliError {
  constructor(message: string) {
    super(message, EXIT_FAILURE);
  }
}

/** Bytes or hashes that do not match what Glacier says it holds. */
export class VerificationError extends CliError {
  constructor(message: string) {
    super(message, EXIT_FAILURE);
  }
}

/** Any other failure that the user should read as one line (AWS refusals included). */
export class FailureError extends CliError {
  constructor(message: string) {
    super(message, EXIT_FAILURE);
  }
}

/**
 * A job is queued or still running. The message (if any) was chosen by the command;
 * an empty message means every report was already printed.
 */
export class PendingJob extends CliError {
  constructor(message = '') {
    super(message, EXIT_TEMPFAIL);
  }
}

/** Ctrl-C or SIGTERM: the work left behind can be resumed; the message says how. */
export class Interrupted extends CliError {
  constructor(message = '') {
    super(message, EXIT_INTERRUPTED);
  }
}
