// Entry point of every executable: `glacier` (and its alias `glacier-cli`) dispatch on
// GROUP VERB; `glacier-upload` and friends are one command each. Nothing here loads the
// AWS SDK: help, version and usage errors answer at once, before any network work, and
// never read stdin (git-annex probes with `glacier --compatibility-test-git-annex`).
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import { COMMANDS, EXECUTABLE_COMMANDS, loadCommand, type CommandModule } from './commandTable.js';
import { commandHelp, groupHelp, nearest, overview } from './help.js';
import { error } from './messages.js';
import { globalOptionSpecs, type OptionSpecs } from './parseCommandLine.js';
import { EXIT_BROKEN_PIPE, runAndExit } from './reportAndExit.js';
import { Session } from './session.js';

/** Words the dispatcher answers itself, besides the command table's. */
const BUILT_IN_WORDS = ['help', 'completion'];
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
  if (wantsHelp(argv, command.optionSpecs)) {
    process.stdout.write(commandHelp(words, command.usage, command.optionSpecs, program));
    return;
  }
  const session = new Session(words, COMMANDS[words]?.opens ?? []);
  try {
    await command.run(argv, session);
  } finally {
    session.close();
  }
}

/** --help before any `--`; -h too, unless the command takes -h for an option of its own (-h, --human-readable). */
function wantsHelp(argv: string[], specs: OptionSpecs): boolean {
  const shortHelp = !Object.values(specs).some((spec) => spec.short === 'h');
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || (shortHelp && arg === '-h')) return true;
  }
  return false;
}

/** `glacier help [COMMAND]`: a command's help, a group's verbs, or the overview. */
async function help(program: string, words: string[]): Promise<void> {
  const joined = words.join(' ');
  if (words.length === 0) process.stdout.write(overview(program));
  else if (COMMANDS[joined] !== undefined) {
    const command: CommandModule = await loadCommand(joined);
    process.stdout.write(commandHelp(joined, command.usage, command.optionSpecs, program));
  } else if (words.length === 1 && GROUPS.includes(joined)) process.stdout.write(groupHelp(program, joined));
  else throw new UsageError(`no command '${joined}'${suggestion(joined)}; see '${program} --help'`);
}

/** `; did you mean 'archive list'?` for a near miss, else nothing. */
function suggestion(words: string): string {
  const meant = nearest(words, [...Object.keys(COMMANDS), ...GROUPS, ...BUILT_IN_WORDS]);
  return meant === undefined ? '' : `; did you mean '${meant}'?`;
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
    const spec = (globalOptionSpecs as OptionSpecs)[name.slice(2)];
    if (!name.startsWith('--') || spec === undefined) throw new UsageError(`unknown option '${name}'; see '${program} --help'`);
    globals.push(arg);
    if (spec.type === 'string' && !arg.includes('=')) {
      const value = argv[++index];
      if (value === undefined) throw new UsageError(`option '${arg}' needs a value`);
      globals.push(value);
    }
  }
  const group = argv[index];
  if (group === undefined) throw new UsageError(`missing command; see '${program} --help'`);
  const rest = argv.slice(index + 1);

  if (group === 'help') return help(program, rest);
  if (group === 'completion') {
    const { completion } = await import('./completion.js');
    return completion(rest);
  }
  if (group === '__complete') {
    const { complete } = await import('./complete.js');
    return complete(rest);
  }
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
      throw new UsageError(`unknown command '${words}'${suggestion(words)}; ${group} commands: ${verbsOf(group).join(', ')}`);
    }
    return runCommand(words, [...globals, ...rest.slice(1)], program);
  }
  const external = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(group) ? findOnPath(`glacier-${group}`) : undefined;
  if (external === undefined) throw new UsageError(`unknown command '${group}'${suggestion(group)}; see '${program} --help'`);
  return runExternal(external, [...globals, ...rest]);
}

function verbsOf(group: string): string[] {
  return Object.keys(COMMANDS)
    .filter((words) => words.startsWith(`${group} `))
    .map((words) => words.slice(group.length + 1));
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
