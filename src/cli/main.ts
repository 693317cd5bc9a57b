// Entry point of every executable: `glacier` (and its alias `glacier-cli`) dispatch on
// GROUP VERB; `glacier-upload` and friends are one command each.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EXIT_USAGE, UsageError } from '../errors.js';
import { COMMANDS, EXECUTABLE_COMMANDS, loadCommand } from './commandTable.js';
import { exitAfterFlush, runAndExit } from './reportAndExit.js';

const GLOBAL_WITH_VALUE = new Set(['--region', '--endpoint-url', '--profile', '--cache-dir']);
const GROUPS = [...new Set(Object.keys(COMMANDS).map((words) => words.split(' ')[0] as string))];

export function main(program: string, argv: string[]): void {
  const single = EXECUTABLE_COMMANDS[program];
  void runAndExit(() => (single !== undefined ? runCommand(single, argv, program) : dispatch(argv)));
}

async function runCommand(words: string, argv: string[], program: string): Promise<void> {
  const command = await loadCommand(words);
  if (wantsHelp(argv)) {
    process.stdout.write(`usage: ${program === 'glacier' ? 'glacier ' : ''}${command.usage}\n`);
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

async function dispatch(argv: string[]): Promise<void> {
  const globals: string[] = [];
  let index = 0;
  for (; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(overview());
      return;
    }
    if (arg === '--version' || arg === '-V') {
      process.stdout.write(`glacier ${packageVersion()}\n`);
      return;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const name = arg.split('=')[0] as string;
    if (!GLOBAL_WITH_VALUE.has(name)) throw new UsageError(`unknown option '${name}'; see 'glacier --help'`);
    globals.push(arg);
    if (!arg.includes('=')) {
      const value = argv[++index];
      if (value === undefined) throw new UsageError(`option '${arg}' needs a value`);
      globals.push(value);
    }
  }
  const group = argv[index];
  if (group === undefined) throw new UsageError("missing command; see 'glacier --help'");
  const rest = argv.slice(index + 1);

  if (COMMANDS[group] !== undefined) return runCommand(group, [...globals, ...rest], 'glacier');
  if (GROUPS.includes(group)) {
    const verb = rest[0];
    if (verb === undefined || verb === '--help' || verb === '-h') {
      if (verb === undefined) throw new UsageError(`missing ${group} command; one of: ${verbsOf(group).join(', ')}`);
      process.stdout.write(groupHelp(group));
      return;
    }
    const words = `${group} ${verb}`;
    if (COMMANDS[words] === undefined) {
      throw new UsageError(`unknown command '${words}'; ${group} commands: ${verbsOf(group).join(', ')}`);
    }
    return runCommand(words, [...globals, ...rest.slice(1)], 'glacier');
  }
  const external = findOnPath(`glacier-${group}`);
  if (external === undefined) throw new UsageError(`unknown command '${group}'; see 'glacier --help'`);
  runExternal(external, [...globals, ...rest]);
}

function verbsOf(group: string): string[] {
  return Object.keys(COMMANDS)
    .filter((words) => words.startsWith(`${group} `))
    .map((words) => words.slice(group.length + 1));
}

function groupHelp(group: string): string {
  const lines = Object.entries(COMMANDS)
    .filter(([words]) => words.startsWith(`${group} `))
    .map(([words, entry]) => `  glacier ${words.padEnd(22)} ${entry.summary}`);
  return `${lines.join('\n')}\n\nRun 'glacier ${group} VERB --help' for a command's options.\n`;
}

function overview(): string {
  const lines = Object.entries(COMMANDS).map(([words, entry]) => `  ${words.padEnd(22)} ${entry.summary}`);
  return [
    'usage: glacier [--region R] [--endpoint-url URL] [--profile P] [--cache-dir DIR] COMMAND ...',
    '',
    'Commands:',
    ...lines,
    '',
    "glacier WORD runs glacier-WORD from PATH when WORD is not a built-in command.",
    "Run 'glacier COMMAND --help' for a command's options; 'man glacier' for the whole story.",
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
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run glacier-WORD the way git runs git-WORD: same stdio, its exit code is ours. */
function runExternal(path: string, args: string[]): void {
  const result = spawnSync(path, args, { stdio: 'inherit' });
  if (result.error !== undefined) throw new UsageError(`cannot run ${path}: ${result.error.message}`);
  exitAfterFlush(result.status ?? (result.signal !== null ? 128 + 1 : EXIT_USAGE));
}
