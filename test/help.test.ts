// Help is generated from the parser's option tables: every option a command accepts is
// listed with its description and default, for `glacier COMMAND --help`, `glacier help
// COMMAND` and the single-command executables alike, so the two cannot drift apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMANDS, EXECUTABLE_COMMANDS, loadCommand } from '../src/cli/commandTable.js';
import { optionSynopsis } from '../src/cli/help.js';
import { runCli } from './helpers/runCli.js';

const env = { PATH: process.env.PATH, HOME: '/nonexistent' };

describe('every option of every command is in its help', () => {
  for (const words of Object.keys(COMMANDS)) {
    test(`glacier ${words} --help`, async () => {
      const { optionSpecs, usage } = await loadCommand(words);
      const help = await runCli('glacier', [...words.split(' '), '--help'], { env });
      assert.equal(help.status, 0, help.stderr);
      assert.equal(help.stderr, '');
      const text = help.stdout.toString();
      assert.ok(text.startsWith(`usage: glacier ${usage}\n`), text);
      assert.ok(Object.keys(optionSpecs).length > 0, 'a command with no options still lists --help');
      for (const [name, spec] of Object.entries(optionSpecs)) {
        const line = text.split('\n').find((candidate) => candidate.trimStart().startsWith(`${optionSynopsis(name, spec)} `));
        assert.ok(line !== undefined, `--${name} is listed`);
        assert.ok(spec.description.length > 0, `--${name} has a description`);
        assert.ok(line.includes(spec.description), `--${name}: ${spec.description}`);
        if (spec.default !== undefined) assert.ok(line.includes(`(default: ${spec.default})`), `--${name} shows its default`);
      }
      const viaHelp = await runCli('glacier', ['help', ...words.split(' ')], { env });
      assert.equal(viaHelp.stdout.toString(), text, 'glacier help COMMAND prints the same');
    });
  }
});

test('glacier-upload --help names the executable and lists the same options', async () => {
  for (const [program, words] of Object.entries(EXECUTABLE_COMMANDS)) {
    const own = (await runCli(program, ['--help'], { env })).stdout.toString();
    const viaGlacier = (await runCli('glacier', [...words.split(' '), '--help'], { env })).stdout.toString();
    assert.match(own, new RegExp(`^usage: ${program} `));
    assert.equal(own.split('\n').slice(1).join('\n'), viaGlacier.split('\n').slice(1).join('\n'), program);
  }
});

test('-h is help, except where it means --human-readable', async () => {
  const upload = await runCli('glacier', ['archive', 'upload', '-h'], { env });
  assert.equal(upload.status, 0);
  assert.match(upload.stdout.toString(), /^usage: glacier archive upload /);
  const list = await runCli('glacier', ['archive', 'list', '-h'], { env });
  assert.equal(list.status, 2, 'archive list -h needs --long and a vault');
  assert.equal(list.stdout.length, 0);
});

test('a mistyped command suggests the nearest one', async () => {
  for (const [typed, meant] of [
    [['archiv', 'list'], 'archive'],
    [['vault', 'lst', 'v'], 'vault list'],
    [['tree-hash'], 'treehash'],
    [['hlep'], 'help'],
  ] as const) {
    const result = await runCli('glacier', [...typed], { env });
    assert.equal(result.status, 2);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, new RegExp(`did you mean '${meant}'\\?`));
  }
  const unrelated = await runCli('glacier', ['frobnicate'], { env });
  assert.doesNotMatch(unrelated.stderr, /did you mean/);
});
