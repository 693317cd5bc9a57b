// Shell completion: every script is valid for its shell, and completes commands, options
// and vault and archive names from the cache alone (no request to Glacier), through the
// real executable on PATH.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { binPath, runCli } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

let scratch: string;
const emulator = useEmulator();
/** PATH with `glacier` first, and no AWS settings: completing needs none. */
let offlineEnv: NodeJS.ProcessEnv;
const scripts: Record<string, string> = {};

function hasShell(shell: string): boolean {
  return spawnSync(shell, ['-c', 'true']).status === 0;
}

before(async () => {
  await emulatorStarted(emulator);
  scratch = makeScratchDir('glacier-completion-');
  const cacheDir = join(scratch, 'cache');
  const env = { ...process.env, ...emulator.env, GLACIER_CACHE_DIR: cacheDir };
  for (const args of [
    ['vault', 'create', 'photos-2019'],
    ['vault', 'create', 'photos-2020'],
  ]) {
    assert.equal((await runCli('glacier', args, { env })).status, 0);
  }
  const upload = await runCli('glacier', ['archive', 'upload', '--name', 'holiday album.tar', 'photos-2019', '-'], { env, input: 'x' });
  assert.equal(upload.status, 0, upload.stderr);
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  for (const program of ['glacier', 'glacier-upload']) symlinkSync(binPath(program), join(bin, program));
  offlineEnv = { PATH: `${bin}:${process.env.PATH}`, HOME: scratch, GLACIER_CACHE_DIR: cacheDir };
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli('glacier', ['completion', shell]);
    assert.equal(result.status, 0, result.stderr);
    scripts[shell] = join(scratch, `glacier.${shell}`);
    writeFileSync(scripts[shell], result.stdout);
  }
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the scripts are valid for their shell', () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    test(`${shell} -n`, { skip: !hasShell(shell) && `${shell} is not installed (scripts/ensure-test-deps.sh installs it)` }, () => {
      const checked = spawnSync(shell, ['-n', scripts[shell] as string], { encoding: 'utf8' });
      assert.equal(checked.status, 0, checked.stderr);
      assert.equal(checked.stderr, '');
    });
  }
  test('an unknown shell is a usage error', async () => {
    const result = await runCli('glacier', ['completion', 'tcsh']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout.length, 0);
  });
});

/** What bash's completion function offers for the words typed so far (the last one being completed). */
function bashComplete(words: string[]): string[] {
  const quoted = words.map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(' ');
  const driver = `source ${scripts.bash}\nCOMP_WORDS=(${quoted})\nCOMP_CWORD=${words.length - 1}\n_glacier_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
  const result = spawnSync('bash', ['-c', driver], { encoding: 'utf8', env: offlineEnv });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

function fishComplete(line: string): string[] {
  const result = spawnSync('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8', env: offlineEnv });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split('\n')
    .filter((entry) => entry !== '')
    .map((entry) => entry.split('\t')[0] as string);
}

describe('bash completes from the tables and the cache', () => {
  test('commands and verbs', () => {
    assert.deepEqual(bashComplete(['glacier', 'arch']), ['archive']);
    assert.deepEqual(bashComplete(['glacier', 'vault', 'de']), ['describe', 'delete']);
    assert.ok(bashComplete(['glacier', '']).includes('completion'));
  });
  test('options of a command, from its option table', () => {
    const offered = bashComplete(['glacier', 'archive', 'upload', '--']);
    for (const option of ['--name', '--part-size', '--resume', '--progress', '--no-progress', '--region', '--help']) assert.ok(offered.includes(option), option);
  });
  test('a vault name from the cache, with no request', async () => {
    await emulator.resetRequestCounts();
    assert.deepEqual(bashComplete(['glacier', 'archive', 'list', 'pho']), ['photos-2019']);
    assert.deepEqual(bashComplete(['glacier-upload', '--resume', 'pho']), ['photos-2019']);
    assert.deepEqual(await emulator.requestCounts(), {});
  });
  test('an archive name of that vault, quoted for the shell', () => {
    assert.deepEqual(bashComplete(['glacier', 'archive', 'retrieve', 'photos-2019', 'hol']), ['holiday\\ album.tar']);
  });
  test('file names for FILE operands and -o', () => {
    writeFileSync(join(scratch, 'upload-me.bin'), 'x');
    assert.deepEqual(bashComplete(['glacier', 'archive', 'upload', 'photos-2019', join(scratch, 'upload-m')]), [join(scratch, 'upload-me.bin')]);
    assert.deepEqual(bashComplete(['glacier', 'archive', 'retrieve', '-o', join(scratch, 'upload-m')]), [join(scratch, 'upload-me.bin')]);
  });
});

describe('fish completes from the cache', { skip: !hasShell('fish') && 'fish is not installed' }, () => {
  test('a vault name: only vaults the cache holds archives of', async () => {
    await emulator.resetRequestCounts();
    assert.deepEqual(fishComplete('glacier vault sync pho'), ['photos-2019']);
    assert.deepEqual(await emulator.requestCounts(), {});
  });
  test('an archive name', () => {
    assert.deepEqual(fishComplete('glacier archive delete photos-2019 h'), ['holiday album.tar']);
  });
});
