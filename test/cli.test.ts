// The dispatcher as users and git-annex meet it: help, version, usage errors (exit 2,
// nothing on stdout, stdin never read, no network), every executable name, external
// glacier-WORD commands, and no AWS SDK on the paths that need no network.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, runCli, type CliResult } from './helpers/runCli.js';

let scratch: string;
/** An environment with no AWS settings from the machine running the tests. */
let cleanEnv: NodeJS.ProcessEnv;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'glacier-cli-test-'));
  cleanEnv = { PATH: process.env.PATH, HOME: scratch, GLACIER_CACHE_DIR: join(scratch, 'cache') };
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function assertUsageError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.signal, null, 'the process must end on its own');
  assert.equal(result.status, 2, `exit status 2 expected; stderr: ${result.stderr}`);
  assert.equal(result.stdout.length, 0, 'nothing on stdout');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0] as string, /^glacier: /);
  assert.match(lines[0] as string, pattern);
}

/** stdin that never closes: a command that reads it would hang until the timeout. */
function openStdin(): PassThrough {
  return new PassThrough();
}

describe('help and version', () => {
  test('glacier --help lists every command on stdout and exits 0', async () => {
    const result = await runCli('glacier', ['--help'], { env: cleanEnv });
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
    const text = result.stdout.toString();
    assert.match(text, /^usage: glacier /);
    for (const words of ['vault list', 'vault create', 'vault sync', 'archive list', 'archive upload', 'archive retrieve', 'archive delete', 'archive checkpresent', 'job list']) {
      assert.ok(text.includes(`  ${words} `), `--help mentions ${words}`);
    }
  });

  test('glacier GROUP --help lists the verbs of that group', async () => {
    const result = await runCli('glacier', ['archive', '--help'], { env: cleanEnv });
    assert.equal(result.status, 0);
    const text = result.stdout.toString();
    assert.match(text, /glacier archive checkpresent /);
    assert.doesNotMatch(text, /glacier vault /);
  });

  test('glacier GROUP VERB --help shows the synopsis, and runs nothing', async () => {
    const result = await runCli('glacier', ['archive', 'checkpresent', '--help'], { env: cleanEnv, input: openStdin(), timeoutMs: 10_000 });
    assert.equal(result.status, 0);
    assert.match(result.stdout.toString(), /^usage: glacier archive checkpresent \[--wait\] \[--quiet\] \[--max-age HOURS\] \[--poll-interval SECONDS\] VAULT NAME\n/);
  });

  test('glacier --version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli('glacier', ['--version'], { env: cleanEnv });
    assert.equal(result.status, 0);
    assert.equal(result.stdout.toString(), `glacier ${version}\n`);
  });
});

describe('usage errors: exit 2, one line, nothing on stdout, stdin never read', () => {
  const cases: [string, string[], RegExp][] = [
    ["git-annex's probe", ['--compatibility-test-git-annex'], /unknown option '--compatibility-test-git-annex'/],
    ['an unknown option after a region', ['--region=us-east-1', '--frobnicate', 'vault', 'list'], /unknown option '--frobnicate'/],
    ['no command', [], /missing command/],
    ['a group without a verb', ['vault'], /missing vault command: one of list, create/],
    ['an unknown verb', ['archive', 'frob'], /unknown command 'archive frob'/],
    ['an unknown word', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a global option without its value', ['--region'], /option '--region' needs a value/],
    ['a missing positional', ['archive', 'checkpresent', 'vault'], /missing NAME/],
    ['an extra positional', ['archive', 'checkpresent', 'vault', 'a', 'b'], /unexpected argument 'b'/],
    ['an unknown option of a command', ['archive', 'checkpresent', '--bogus', 'vault', 'name'], /unknown option '--bogus'/],
    ['a bad --max-age', ['archive', 'checkpresent', '--max-age', 'soon', 'vault', 'name'], /--max-age takes a non-negative number/],
    ['a bad vault name', ['archive', 'checkpresent', 'no/such', 'name'], /invalid vault name 'no\/such'/],
  ];
  for (const [what, args, pattern] of cases) {
    test(what, async () => {
      // No endpoint and no credentials: any network attempt would fail differently (exit 1).
      const result = await runCli('glacier', args, { env: cleanEnv, input: openStdin(), timeoutMs: 10_000 });
      assertUsageError(result, pattern);
    });
  }

  test('glacier-cli probes the same way', async () => {
    const result = await runCli('glacier-cli', ['--compatibility-test-git-annex'], { env: cleanEnv, input: openStdin(), timeoutMs: 10_000 });
    assertUsageError(result, /unknown option '--compatibility-test-git-annex'/);
  });
});

describe('every executable name', () => {
  const singles: [string, string][] = [
    ['glacier-upload', 'archive upload'],
    ['glacier-retrieve', 'archive retrieve'],
    ['glacier-sync', 'vault sync'],
    ['glacier-jobs', 'job list'],
  ];
  for (const [program, words] of singles) {
    test(`${program} is 'glacier ${words}'`, async () => {
      const own = await runCli(program, ['--help'], { env: cleanEnv });
      const viaGlacier = await runCli('glacier', [...words.split(' '), '--help'], { env: cleanEnv });
      assert.equal(own.status, 0, own.stderr);
      assert.equal(viaGlacier.status, 0, viaGlacier.stderr);
      const ownUsage = own.stdout.toString().split('\n')[0] ?? '';
      const glacierUsage = viaGlacier.stdout.toString().split('\n')[0] ?? '';
      assert.match(ownUsage, new RegExp(`^usage: ${program}\\b`));
      assert.equal(ownUsage.replace(`usage: ${program}`, `usage: glacier ${words}`), glacierUsage);
      const bad = await runCli(program, ['--no-such-option'], { env: cleanEnv, input: openStdin(), timeoutMs: 10_000 });
      assertUsageError(bad, /unknown option '--no-such-option'/);
    });
  }

  test('glacier-cli is glacier', async () => {
    const alias = await runCli('glacier-cli', ['--help'], { env: cleanEnv });
    const glacier = await runCli('glacier', ['--help'], { env: cleanEnv });
    assert.equal(alias.status, 0);
    assert.equal(alias.stdout.toString().replaceAll('glacier-cli', 'glacier'), glacier.stdout.toString());
  });
});

describe('external commands: glacier WORD runs glacier-WORD from PATH', () => {
  before(() => {
    const script = join(scratch, 'glacier-hello');
    writeFileSync(script, '#!/bin/sh\nprintf "args:%s\\n" "$*"\ncat\necho "to stderr" >&2\nexit 7\n');
    chmodSync(script, 0o755);
  });

  test('arguments, stdin, stdout, stderr and the exit status pass through', async () => {
    const env = { ...cleanEnv, PATH: `${scratch}:${process.env.PATH ?? ''}` };
    const result = await runCli('glacier', ['--region=eu-west-1', 'hello', 'a b', '-x'], { env, input: 'piped in\n' });
    assert.equal(result.status, 7);
    assert.equal(result.stdout.toString(), 'args:--region=eu-west-1 a b -x\npiped in\n');
    assert.equal(result.stderr, 'to stderr\n');
  });

  test('a killed external command gives 128 + the signal number', async () => {
    const script = join(scratch, 'glacier-selfkill');
    writeFileSync(script, '#!/bin/sh\nkill -TERM $$\n');
    chmodSync(script, 0o755);
    const env = { ...cleanEnv, PATH: `${scratch}:${process.env.PATH ?? ''}` };
    const result = await runCli('glacier', ['selfkill'], { env });
    assert.equal(result.status, 128 + 15);
  });

  test('a word with no glacier-WORD on PATH is a usage error', async () => {
    const result = await runCli('glacier', ['hello'], { env: cleanEnv, input: openStdin(), timeoutMs: 10_000 });
    assertUsageError(result, /unknown command 'hello'/);
  });
});

describe('no AWS SDK where no network is needed', () => {
  let forbidSdk: string;
  before(() => {
    const hooks = join(scratch, 'forbid-sdk-hooks.mjs');
    writeFileSync(
      hooks,
      "export async function resolve(specifier, context, next) {\n" +
        "  if (specifier.startsWith('@aws-sdk/')) throw new Error('the AWS SDK was loaded: ' + specifier);\n" +
        '  return next(specifier, context);\n}\n',
    );
    forbidSdk = join(scratch, 'forbid-sdk.mjs');
    writeFileSync(forbidSdk, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  });

  const envForbiddingSdk = (): NodeJS.ProcessEnv => ({ ...cleanEnv, NODE_OPTIONS: `--import=${forbidSdk}` });

  test('the guard itself works: a network command fails under it', async () => {
    const result = await runCli('glacier', ['vault', 'list'], { env: envForbiddingSdk(), timeoutMs: 20_000 });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /the AWS SDK was loaded/);
  });

  for (const args of [['--help'], ['--version'], ['--compatibility-test-git-annex'], ['archive', '--help'], ['archive', 'checkpresent', 'vault']]) {
    test(`glacier ${args.join(' ')}`, async () => {
      const result = await runCli('glacier', args, { env: envForbiddingSdk(), timeoutMs: 20_000 });
      assert.doesNotMatch(result.stderr, /AWS SDK/);
      assert.ok(result.status === 0 || result.status === 2, `status ${result.status}: ${result.stderr}`);
    });
  }
});
