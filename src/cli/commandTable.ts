// Every built-in command, by the words that name it, and the module that runs it.
// Modules load lazily so that a command pays only for what it uses (the AWS SDK is
// loaded by network commands alone).
import { FailureError } from '../errors.js';
import type { OptionSpecs } from './parseCommandLine.js';
import type { Resource, Session } from './session.js';

export interface CommandModule {
  /** One line: the synopsis shown in usage errors and --help. */
  usage: string;
  /** Every option the command takes: its parser reads it, and help and completion print it. */
  optionSpecs: OptionSpecs;
  /** Checks `argv`, then opens `session` once (what the table declares) and does the work. */
  run(argv: string[], session: Session): Promise<void>;
}

export interface CommandEntry {
  /** Path of the module under src/commands, without extension. */
  module: string;
  summary: string;
  /** What the session opens for it; nothing when absent. */
  opens?: readonly Resource[];
}

export const COMMANDS: Record<string, CommandEntry> = {
  'vault list': { module: 'vault/list', summary: 'list the vaults of the region', opens: ['glacier'] },
  'vault create': { module: 'vault/create', summary: 'create a vault (succeeds if it exists)', opens: ['glacier'] },
  'vault describe': { module: 'vault/describe', summary: "show a vault's inventory figures", opens: ['glacier'] },
  'vault delete': { module: 'vault/delete', summary: 'delete an empty vault', opens: ['cache', 'glacier'] },
  'vault sync': { module: 'vault/sync', summary: 'reconcile the cache with the vault inventory', opens: ['vault'] },
  'vault migrate': { module: 'vault/migrate', summary: 'move every archive to S3 or a directory, verified', opens: ['vault'] },
  'vault purge': { module: 'vault/purge', summary: 'delete every archive of a vault', opens: ['vault'] },
  'archive list': { module: 'archive/list', summary: 'list the archives of a vault (from the cache)', opens: ['cache'] },
  'archive upload': { module: 'archive/upload', summary: 'upload a file or stdin as one archive', opens: ['cache', 'glacier'] },
  'archive retrieve': { module: 'archive/retrieve', summary: 'retrieve archives, verified (delayed completion)', opens: ['vault'] },
  'archive delete': { module: 'archive/delete', summary: 'delete archives', opens: ['vault'] },
  'archive checkpresent': { module: 'archive/checkpresent', summary: 'tell whether an archive is present', opens: ['cache'] },
  'job list': { module: 'job/list', summary: 'list retrieval and inventory jobs', opens: ['cache', 'glacier'] },
  'job describe': { module: 'job/describe', summary: 'show one job in detail', opens: ['glacier'] },
  'upload list': { module: 'upload/list', summary: 'list unfinished multipart uploads', opens: ['cache', 'glacier'] },
  'upload abort': { module: 'upload/abort', summary: 'cancel an unfinished multipart upload', opens: ['cache', 'glacier'] },
  'cache import': { module: 'cache/import', summary: "import the old Python tool's SQLite cache", opens: ['cache'] },
  treehash: { module: 'treehash', summary: 'print SHA-256 tree hashes of files or stdin' },
};

/** The executables that are one command of the dispatcher (docs/compatibility.md, "Executables"). */
export const EXECUTABLE_COMMANDS: Record<string, string> = {
  'glacier-upload': 'archive upload',
  'glacier-retrieve': 'archive retrieve',
  'glacier-sync': 'vault sync',
  'glacier-jobs': 'job list',
  'glacier-migrate': 'vault migrate',
};

export async function loadCommand(words: string): Promise<CommandModule> {
  const entry = COMMANDS[words];
  if (entry === undefined) throw new Error(`no built-in command '${words}'`);
  const url = new URL(`../commands/${entry.module}.js`, import.meta.url);
  try {
    return (await import(url.href)) as CommandModule;
  } catch (failure) {
    const missing = (failure as { code?: string; url?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((failure as Error).message).includes(url.pathname);
    if (missing) throw new FailureError(`command '${words}' is missing from this installation (no ${url.pathname})`);
    throw failure;
  }
}
