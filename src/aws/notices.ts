// Where the AWS layer's warnings (retries) and --debug lines go: standard error, as
// `glacier: warning: ...` and `glacier: debug: ...`.
import { error, warn } from '../cli/messages.js';

export interface Notices {
  warn(text: string): void;
  debug(line: string): void;
}

export const STDERR_NOTICES: Notices = { warn, debug: error };
