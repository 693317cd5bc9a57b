// The exact command that resumes an interrupted upload, for the message that ends it.
import { basename } from 'node:path';

/** The invocation as typed (program + argv), with --resume added when missing. */
export function resumeCommand(argv: readonly string[]): string {
  const program = basename(process.argv[1] ?? 'glacier').replace(/\.js$/, '');
  const words = program === 'glacier-upload' ? ['glacier-upload'] : ['glacier', 'archive', 'upload'];
  const args = argv.includes('--resume') ? [...argv] : ['--resume', ...argv];
  return [...words, ...args].map(shellQuote).join(' ');
}

export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
