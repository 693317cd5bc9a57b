// Entry point of every executable: `glacier` (and its alias `glacier-cli`) dispatch on
// GROUP VERB; `glacier-upload` and friends are one command each. Nothing here loads the
// AWS SDK: help, version and usage errors answer at once, before any network work, and
// never read stdin (git-annex probes with `glacier --compatibility-test-git-annex`).
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import { COMMANDS, EXECUTABLE_COMMANDS, loadCommand } from './commandTable.js';
import { error } from './messages.js';
import { EXIT_BROKEN_PIPE, runAndExit } from './reportAndExit.js';

const GLOBAL_WITH_VALUE = new Set(['--region', '--endpoint-url', '--profile', '--cache-dir']);
const GROUPS = [...new Set(Object.keys(COMMANDS).map((words) => words.split(' ')[0] as string))];

export function main(program: string, argv: string[]): void {
  // stderr speaks only as `glacier: ...`: the SDK's advice to upgrade Node is not the user's business.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // A reader that goes away (`glacier archive list v | head -1`) ends us quietly, as SIGPIPE would.
  process.stdout.on('error', (failure: NodeJS.ErrnoException) => {
    if (failure.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    error(`cannot write to standard output: ${failure.message}`);
    process.exit(EXIT_FAILURE);
  });
  const single = EXECUTABLE_COMMANDS[program];
  const args = takeDebugFlag(argv);
  void runAndExit(() => (single !== undefined ? runSingle(program, single, args) : dispatch(program, args)));
}

/**
 * --debug, anywhere before `--`, is the global switch for one stderr line per HTTP
 * exchange; it is passed on as GLACIER_DEBUG=1, which external commands inherit too.
 */
function takeDebugFlag(argv: string[]): string[] {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (!options.includes('--debug')) return argv;
  process.env.GLACIER_DEBUG = '1';
  return [...options.filter((arg) => arg !== '--debug'), ...(end < 0 ? [] : argv.slice(end))];
}

/** glacier-upload and friends: one command, its name in usage lines. */
async function runSingle(program: string, words: string, argv: string[]): Promise<void> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`${program} ${packageVersion()}\n`);
    return;
  }
  await runCommand(words, argv, program);
}

async function runCommand(words: string, argv: string[], program: string): Promise<void> {
  const command = await loadCommand(words);
  if (wantsHelp(argv)) {
    process.stdout.write(commandHelp(words, command.usage, program));
    return;
  }
  await command.run(argv);
}

/** --help / -h before any `--`. */
function wantsHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

async function dispatch(program: string, argv: string[]): Promise<number | void> {
  const globals: string[] = [];
  let index = 0;
  for (; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(overview(program));
      return;
    }
    if (arg === '--version' || arg === '-V') {
      process.stdout.write(`${program} ${packageVersion()}\n`);
      return;
    }
    if (arg === '--') {
      index++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const name = arg.split('=')[0] as string;
    if (!GLOBAL_WITH_VALUE.has(name)) throw new UsageError(`unknown option '${name}'; see '${program} --help'`);
    globals.push(arg);
    if (!arg.includes('=')) {
      const value = argv[++index];
      if (value === undefined) throw new UsageError(`option '${arg}' needs a value`);
      globals.push(value);
    }
  }
  const group = argv[index];
  if (group === undefined) throw new UsageError(`missing command; see '${program} --help'`);
  const rest = argv.slice(index + 1);

  if (COMMANDS[group] !== undefined) return runCommand(group, [...globals, ...rest], program);
  if (GROUPS.includes(group)) {
    const verb = rest[0];
    if (verb === '--help' || verb === '-h') {
      process.stdout.write(groupHelp(program, group));
      return;
    }
    if (verb === undefined || verb.startsWith('-')) {
      throw new UsageError(`missing ${group} command: one of ${verbsOf(group).join(', ')}`);
    }
    const words = `${group} ${verb}`;
    if (COMMANDS[words] === undefined) {
      throw new UsageError(`unknown command '${words}'; ${group} commands: ${verbsOf(group).join(', ')}`);
    }
    return runCommand(words, [...globals, ...rest.slice(1)], program);
  }
  const external = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(group) ? findOnPath(`glacier-${group}`) : undefined;
  if (external === undefined) throw new UsageError(`unknown command '${group}'; see '${program} --help'`);
  return runExternal(external, [...globals, ...rest]);
}

function verbsOf(group: string): string[] {
  return Object.keys(COMMANDS)
    .filter((words) => words.startsWith(`${group} `))
    .map((words) => words.slice(group.length + 1));
}

function commandHelp(words: string, usage: string, program: string): string {
  // A single-command executable is named for its command: `glacier-upload VAULT FILE`.
  const synopsis = program in EXECUTABLE_COMMANDS && usage.startsWith(words) ? `${program}${usage.slice(words.length)}` : `${program} ${usage}`;
  const summary = COMMANDS[words]?.summary ?? '';
  return `usage: ${synopsis}\n\n${summary.charAt(0).toUpperCase()}${summary.slice(1)}.\nSee 'man glacier' for the options and exit codes.\n`;
}

function groupHelp(program: string, group: string): string {
  const lines = Object.entries(COMMANDS)
    .filter(([words]) => words.startsWith(`${group} `))
    .map(([words, entry]) => `  ${program} ${words.padEnd(22)} ${entry.summary}`);
  return `${lines.join('\n')}\n\nRun '${program} ${group} VERB --help' for a command's synopsis.\n`;
}

function overview(program: string): string {
  const lines = Object.entries(COMMANDS).map(([words, entry]) => `  ${words.padEnd(22)} ${entry.summary}`);
  return [
    `usage: ${program} [--region R] [--endpoint-url URL] [--profile P] [--cache-dir DIR] [--debug] COMMAND ...`,
    '',
    'Commands:',
    ...lines,
    '',
    `${program} WORD runs glacier-WORD from PATH when WORD is not a built-in command.`,
    `Run '${program} COMMAND --help' for a command's synopsis; 'man glacier' for the whole story.`,
    'Exit status: 0 done, 1 failed, 2 usage error, 75 a job is pending (run again later), 130 interrupted.',
    '',
  ].join('\n');
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run glacier-WORD the way git runs git-WORD: same stdio; its exit status is ours. */
function runExternal(path: string, args: string[]): number {
  const result = spawnSync(path, args, { stdio: 'inherit' });
  if (result.error !== undefined) throw new UsageError(`cannot run ${path}: ${result.error.message}`);
  if (result.signal !== null) return 128 + (osConstants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}
