// Every message goes to stderr, prefixed `glacier:` as the old tool did; stdout is reserved
// for payload. These are the reporter's messages for code that has no reporter handed to it
// (src/report/reporter.ts draws and erases the status lines).
import { Reporter } from '../report/reporter.js';

const messages = new Reporter({ progress: false });

export function error(text: string): void {
  messages.error(text);
}

export function warn(text: string): void {
  messages.warn(text);
}

export function info(text: string): void {
  messages.info(text);
}
