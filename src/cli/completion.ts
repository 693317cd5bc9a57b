// `glacier completion bash|zsh|fish`: a script that asks `glacier __complete` for every
// candidate (src/cli/complete.ts), so commands and options added to the tables complete
// without a new script, and vault and archive names come from the local cache.
import { UsageError } from '../errors.js';
import { EXECUTABLE_COMMANDS } from './commandTable.js';
import { FILES } from './complete.js';

const PROGRAMS = ['glacier', 'glacier-cli', ...Object.keys(EXECUTABLE_COMMANDS)];

function bash(): string {
  return `# bash completion for glacier; load with: source <(glacier completion bash)
_glacier_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out line
  COMPREPLY=()
  out=$(command glacier __complete "\${COMP_WORDS[0]##*/}" "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  if [[ $out == '${FILES}' ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
  fi
  while IFS= read -r line; do
    [[ -n $line ]] && COMPREPLY+=("$(printf '%q' "$line")")
  done <<<"$out"
  return 0
}
complete -F _glacier_complete ${PROGRAMS.join(' ')}
`;
}

function zsh(): string {
  return `#compdef ${PROGRAMS.join(' ')}
# zsh completion for glacier; save as _glacier in a directory of $fpath,
# or load with: source <(glacier completion zsh)
_glacier() {
  local out
  out=$(command glacier __complete "\${words[1]:t}" "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  if [[ $out == '${FILES}' ]]; then
    _files
    return
  fi
  local -a candidates
  candidates=("\${(@f)out}")
  (( \${#candidates} )) && compadd -- "\${candidates[@]}"
}
if [[ \${funcstack[1]} == _glacier ]]; then
  _glacier "$@"
else
  compdef _glacier ${PROGRAMS.join(' ')}
fi
`;
}

function fish(): string {
  const lines = PROGRAMS.map((program) => `complete -c ${program} -f -a '(__glacier_complete)'`);
  return `# fish completion for glacier; save as ~/.config/fish/completions/glacier.fish
# (and link it as glacier-upload.fish and so on), or load with: glacier completion fish | source
function __glacier_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out (command glacier __complete (string replace -r '.*/' '' -- $tokens[1]) $tokens[2..-1] "$current" 2>/dev/null)
    if test "$out" = '${FILES}'
        __fish_complete_path "$current"
        return
    end
    printf '%s\\n' $out
end
${lines.join('\n')}
`;
}

const SCRIPTS: Record<string, () => string> = { bash, zsh, fish };

export function completion(args: string[]): void {
  const [shell, ...extra] = args;
  const script = shell === undefined ? undefined : SCRIPTS[shell];
  if (script === undefined || extra.length > 0) throw new UsageError('usage: glacier completion bash|zsh|fish');
  process.stdout.write(script());
}
