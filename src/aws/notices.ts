// What the AWS layer has to say on its own: a retry about to happen, and with --debug one
// line per HTTP exchange. The command layer's reporter is what receives them.

export interface Notices {
  warn(text: string): void;
  debug(text: string): void;
}
