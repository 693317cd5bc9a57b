// The dispatcher as users and git-annex meet it: help, version, usage errors (exit 2,
// nothing on stdout, stdin never read, no network), every executable name, external
// glacier-WORD commands, and no AWS SDK on the paths that need no network.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { binPath, REPO_ROOT, runCli, type CliResult } from './helpers/runCli.js';
import { COMMANDS } from '../src/cli/commandTable.js';
import { forbidSdkEnv } from './helpers/forbidSdk.js';
import { makeScratchDir } from './helpers/scratchDir.js';

let scratch: string;
/** An environment with no AWS settings from the machine running the tests. */
let cleanEnv: NodeJS.ProcessEnv;

before(() => {
  scratch = makeScratchDir('glacier-cli-test-');
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

describe('payload that cannot be written', () => {
  test('a full disk on stdout is a failure, in one line', { skip: existsSync('/dev/full') ? false : 'no /dev/full' }, () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [binPath('glacier'), '--help'], { env: cleanEnv, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^glacier: cannot write to standard output: ENOSPC.*\n$/);
    } finally {
      closeSync(full);
    }
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
    assert.equal(alias.stdout.toString().replace(/glacier-cli(?= )/g, 'glacier'), glacier.stdout.toString());
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
  const envForbiddingSdk = (): NodeJS.ProcessEnv => ({ ...cleanEnv, ...forbidSdkEnv(scratch) });

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

  // Help and a refused command line are answered before any network work, so they load
  // neither the SDK nor LMDB, whatever the command does once it runs.
  const noSdkNorLmdb = (): NodeJS.ProcessEnv => ({ ...cleanEnv, ...forbidSdkEnv(scratch, ['lmdb']) });
  for (const words of Object.keys(COMMANDS)) {
    test(`glacier ${words} --help, and with an unknown option`, async () => {
      const help = await runCli('glacier', [...words.split(' '), '--help'], { env: noSdkNorLmdb(), timeoutMs: 20_000 });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout.toString(), /usage:/i);
      const refused = await runCli('glacier', [...words.split(' '), '--no-such-option', 'v'], { env: noSdkNorLmdb(), input: '', timeoutMs: 20_000 });
      assert.equal(refused.status, 2, refused.stderr);
      assert.doesNotMatch(refused.stderr, /AWS SDK|another path/);
    });
  }
});

describe('region, credentials and AWS refusals, against the emulator', () => {
  const emulator = useEmulator({});

  /** The emulator's endpoint and credentials, with no region from anywhere unless given. */
  function envWith(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...cleanEnv, ...emulator.env, AWS_EC2_METADATA_DISABLED: 'true', GLACIER_RETRY_BASE_MS: '20' };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    return { ...env, ...extra };
  }

  async function vaultsSeen(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<string[]> {
    const result = await runCli('glacier', [...args, 'vault', 'list'], { env: envWith(extra) });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout
      .toString()
      .split('\n')
      .filter((line) => line !== '');
  }

  test('--region, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile, then us-east-1', async () => {
    for (const [region, vault] of [
      ['eu-west-1', 'in-eu-west-1'],
      ['ap-south-1', 'in-ap-south-1'],
      ['us-east-1', 'in-us-east-1'],
    ]) {
      const created = await runCli('glacier', [`--region=${region}`, 'vault', 'create', vault as string], { env: envWith({}) });
      assert.equal(created.status, 0, created.stderr);
    }
    assert.deepEqual(await vaultsSeen([]), ['in-us-east-1'], 'no region anywhere: us-east-1');
    assert.deepEqual(await vaultsSeen(['--region=eu-west-1']), ['in-eu-west-1']);
    assert.deepEqual(await vaultsSeen(['--region', 'eu-west-1'], { AWS_REGION: 'ap-south-1' }), ['in-eu-west-1'], '--region beats AWS_REGION');
    assert.deepEqual(await vaultsSeen([], { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }), ['in-ap-south-1']);
    assert.deepEqual(await vaultsSeen([], { AWS_DEFAULT_REGION: 'eu-west-1' }), ['in-eu-west-1']);
    const config = join(scratch, 'aws-config');
    writeFileSync(config, '[default]\nregion = ap-south-1\n');
    assert.deepEqual(await vaultsSeen([], { AWS_CONFIG_FILE: config }), ['in-ap-south-1'], 'the profile region');
    assert.deepEqual(await vaultsSeen([], { AWS_CONFIG_FILE: config, AWS_REGION: 'eu-west-1' }), ['in-eu-west-1']);
    // A global option may also follow the command words.
    const after = await runCli('glacier', ['vault', 'list', '--region=ap-south-1'], { env: envWith({}) });
    assert.equal(after.stdout.toString(), 'in-ap-south-1\n');
  });

  test('--endpoint-url beats AWS_ENDPOINT_URL_GLACIER', async () => {
    const endpoint = emulator.env.AWS_ENDPOINT_URL_GLACIER;
    const result = await runCli('glacier', ['--endpoint-url', endpoint, 'vault', 'list'], {
      env: envWith({ AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9', GLACIER_RETRY_ATTEMPTS: '1' }),
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout.toString(), /in-us-east-1/);
  });

  test('a wrong secret: one line naming the refusal, never the secret', async () => {
    const secret = 'not-the-secret-0123456789';
    const result = await runCli('glacier', ['vault', 'list'], { env: envWith({ AWS_SECRET_ACCESS_KEY: secret }) });
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /^glacier: AWS rejected the credentials \(InvalidSignatureException\): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile\n$/);
    assert.ok(!result.stderr.includes(secret));
  });

  test('no credentials at all: one line saying where to put them', async () => {
    const env = envWith({ AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none'), AWS_CONFIG_FILE: join(scratch, 'none') });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
    const result = await runCli('glacier', ['vault', 'list'], { env, timeoutMs: 30_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /^glacier: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    assert.equal(result.stderr.split('\n').filter((line) => line !== '').length, 1);
  });

  test('a missing vault: one line, exit 1', async () => {
    const result = await runCli('glacier', ['archive', 'checkpresent', 'no-such-vault', 'x'], { env: envWith({}) });
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.equal(result.stderr, "glacier: vault 'no-such-vault' not found in region us-east-1\n");
  });
});

describe('refusals the emulator cannot give: one line each, from a server that answers only that', () => {
  let server: Server;
  let endpoint: string;
  /** The error the server answers every request with: [HTTP status, Glacier error code]. */
  let answer: [number, string] = [400, 'NoLongerSupportedException'];

  before(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const [status, code] = answer;
        const body = JSON.stringify({ code, message: `${code} for this request`, type: 'Client' });
        response.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'stub' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: [number, string, RegExp][] = [
    [400, 'NoLongerSupportedException', /^glacier: this AWS account cannot use Glacier vaults: .*NoLongerSupportedException.*S3 Glacier storage classes/],
    [403, 'AccessDeniedException', /^glacier: access denied by AWS: AccessDeniedException for this request$/],
    [403, 'ExpiredTokenException', /^glacier: the AWS credentials have expired; refresh them/],
  ];
  for (const [status, code, pattern] of cases) {
    test(code, async () => {
      answer = [status, code];
      const env = { ...cleanEnv, AWS_ACCESS_KEY_ID: 'AKIASTUB', AWS_SECRET_ACCESS_KEY: 'stub-secret-never-shown', AWS_EC2_METADATA_DISABLED: 'true' };
      const result = await runCli('glacier', ['--endpoint-url', endpoint, 'vault', 'list'], { env, timeoutMs: 30_000 });
      assert.equal(result.status, 1);
      assert.equal(result.stdout.length, 0);
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] as string, pattern);
      assert.ok(!result.stderr.includes('stub-secret-never-shown'));
    });
  }
});
