// Help text, generated from the command table and each command's option table: an option
// the parser accepts is an option help lists, with the same name, value and default.
import { COMMANDS, EXECUTABLE_COMMANDS } from './commandTable.js';
import { globalOptionSpecs, type OptionSpec, type OptionSpecs } from './parseCommandLine.js';

/** `--name NAME`, `-o, --output FILE`: how an option is written on the command line. */
export function optionSynopsis(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return spec.short !== undefined ? `-${spec.short}, ${long}` : long;
}

function widthOf(specs: OptionSpecs): number {
  return Math.max(10, ...Object.entries(specs).map(([name, spec]) => optionSynopsis(name, spec).length));
}

function optionLines(specs: OptionSpecs, width = widthOf(specs)): string[] {
  const entries = Object.entries(specs);
  return entries.map(([name, spec]) => {
    const fallback = spec.default !== undefined ? ` (default: ${spec.default})` : '';
    return `  ${optionSynopsis(name, spec).padEnd(width)}  ${spec.description}${fallback}`;
  });
}

/** `glacier COMMAND --help`, `glacier-upload --help`, `glacier help COMMAND`. */
export function commandHelp(words: string, usage: string, specs: OptionSpecs, program: string): string {
  // A single-command executable is named for its command: `glacier-upload VAULT FILE`.
  const synopsis = program in EXECUTABLE_COMMANDS && usage.startsWith(words) ? `${program}${usage.slice(words.length)}` : `${program} ${usage}`;
  const summary = COMMANDS[words]?.summary ?? '';
  const own: OptionSpecs = {};
  const global: OptionSpecs = {};
  for (const [name, spec] of Object.entries(specs)) (name in globalOptionSpecs ? global : own)[name] = spec;
  const sections = [`usage: ${synopsis}`, '', `${summary.charAt(0).toUpperCase()}${summary.slice(1)}.`];
  const width = widthOf(specs);
  const helpFlag = Object.values(specs).some((spec) => spec.short === 'h') ? '--help' : '-h, --help';
  sections.push('', 'Options:', ...optionLines(own, width), `  ${helpFlag.padEnd(width)}  print this help`);
  if (Object.keys(global).length > 0) sections.push('', 'Global options:', ...optionLines(global, width));
  sections.push('', "See 'man glacier' for the whole story and the exit codes.", '');
  return sections.join('\n');
}

export function groupHelp(program: string, group: string): string {
  const lines = Object.entries(COMMANDS)
    .filter(([words]) => words.startsWith(`${group} `))
    .map(([words, entry]) => `  ${program} ${words.padEnd(22)} ${entry.summary}`);
  return `${lines.join('\n')}\n\nRun '${program} ${group} VERB --help' for a command's options.\n`;
}

export function overview(program: string): string {
  const lines = Object.entries(COMMANDS).map(([words, entry]) => `  ${words.padEnd(22)} ${entry.summary}`);
  return [
    `usage: ${program} [GLOBAL OPTIONS] COMMAND ...`,
    '',
    'Commands:',
    ...lines,
    `  ${'help COMMAND'.padEnd(22)} the options of a command`,
    `  ${'completion SHELL'.padEnd(22)} print a completion script for bash, zsh or fish`,
    '',
    'Global options (before or after the command):',
    ...optionLines(globalOptionSpecs),
    '',
    `${program} WORD runs glacier-WORD from PATH when WORD is not a built-in command.`,
    `Run '${program} COMMAND --help' for a command's options; 'man glacier' for the whole story.`,
    'Exit status: 0 done, 1 failed, 2 usage error, 75 a job is pending (run again later), 130 interrupted.',
    '',
  ].join('\n');
}

/** The known word nearest to a mistyped one, when it is near enough to be meant. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
