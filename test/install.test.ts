// The packages as a sysadmin installs them: `npm pack` of the client and of the emulator,
// then `npm install -g` of both tarballs into a private prefix. The installed executables
// must work on their own (an emulator round trip through the installed `glacier` and
// `glacier-emulator`), the installed man
// pages must render without warnings, and the tarball must hold the program, not the
// tests or the benchmarks. npm installs from its cache where it can: `npm ci` fetched the
// tarballs, but not always the registry documents a tarball's own ranges are resolved with.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { REPO_ROOT } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

let scratch: string;
let prefix: string;
let tarball: string;
let emulatorTarball: string;
let installed: { ok: boolean; why: string };

function npm(args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

before(() => {
  scratch = makeScratchDir('glacier-install-');
  prefix = join(scratch, 'prefix');
  // dist/ is already built by `npm test`: packing must not rebuild it under running tests.
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', scratch, '--json'], REPO_ROOT);
  assert.equal(packed.status, 0, packed.output);
  const packedEmulator = npm(['pack', '--ignore-scripts', '--workspace=glacier-emulator', '--pack-destination', scratch, '--json'], REPO_ROOT);
  assert.equal(packedEmulator.status, 0, packedEmulator.output);
  const tarballs = readdirSync(scratch).filter((file) => file.endsWith('.tgz'));
  const name = tarballs.find((file) => file.startsWith('glacier-cli-'));
  const emulatorName = tarballs.find((file) => file.startsWith('glacier-emulator-'));
  assert.ok(name !== undefined && emulatorName !== undefined, `npm pack wrote both tarballs: ${tarballs.join(', ')}`);
  tarball = join(scratch, name);
  emulatorTarball = join(scratch, emulatorName);
  const install = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball, emulatorTarball], scratch);
  installed = { ok: install.status === 0, why: install.output };
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the tarball holds the program, its man pages and LICENSE, and no tests or benchmarks', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const wanted of ['package/LICENSE', 'package/README.md', 'package/bin/glacier.js', 'package/man/glacier.1', 'package/dist/src/cli/main.js']) {
    assert.ok(files.includes(wanted), `${wanted} is packed`);
  }
  const strays = files.filter((file) => /^package\/dist\/(test|bench)\//.test(file) || file.endsWith('.map'));
  assert.deepEqual(strays, [], 'no compiled tests, benchmarks or source maps');
});

test('the installed glacier and glacier-emulator work together', async (t) => {
  assert.ok(installed.ok, `npm install -g of the tarball failed:\n${installed.why}`);
  const bin = join(prefix, 'bin');
  const version = spawnSync(join(bin, 'glacier'), ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^glacier \d+\.\d+\.\d+\n$/);

  const emulator: Emulator = await startEmulator({ launcher: join(bin, 'glacier-emulator') });
  t.after(() => emulator.stop());
  const env = { ...process.env, ...emulator.env, PATH: `${bin}:${process.env.PATH}`, GLACIER_CACHE_DIR: join(scratch, 'cache') };
  const run = (args: string[], input?: string): string => {
    const result = spawnSync('glacier', args, { encoding: 'utf8', env, input: input ?? '' });
    assert.equal(result.status, 0, `glacier ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  run(['vault', 'create', 'installed']);
  run(['archive', 'upload', '--name', 'hello.txt', 'installed', '-'], 'hello from the installed glacier\n');
  assert.equal(run(['archive', 'list', 'installed']), 'hello.txt\n');
  assert.equal((await emulator.listArchives('installed')).length, 1, 'the installed emulator holds the archive');
});

const hasMan = spawnSync('man', ['--version']).status === 0;

test('the installed man pages render without warnings', { skip: !hasMan && 'man is not installed (scripts/ensure-test-deps.sh installs it)' }, () => {
  assert.ok(installed.ok, `npm install -g of the tarball failed:\n${installed.why}`);
  const manDir = join(prefix, 'share', 'man', 'man1');
  const pages = readdirSync(manDir).filter((page) => page.startsWith('glacier'));
  assert.deepEqual(pages.sort(), [
    'glacier-cli.1',
    'glacier-emulator.1',
    'glacier-jobs.1',
    'glacier-migrate.1',
    'glacier-retrieve.1',
    'glacier-sync.1',
    'glacier-upload.1',
    'glacier.1',
  ]);
  for (const page of pages) {
    const rendered = spawnSync('man', ['--warnings', '-l', join(manDir, page)], {
      encoding: 'utf8',
      env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80' },
    });
    assert.equal(rendered.status, 0, `${page}: ${rendered.stderr}`);
    assert.equal(rendered.stderr, '', `${page} renders without warnings`);
    assert.match(rendered.stdout, /NAME/, `${page} has a NAME section`);
  }
});

// Needs the npm registry (TypeScript is fetched, as on a user's machine): not run by default.
const cloneInstall = process.env.GLACIER_TEST_CLONE_INSTALL === undefined ? 'needs the npm registry: set GLACIER_TEST_CLONE_INSTALL=1' : false;

test('a bare clone installs with npm install -g --install-links, without dev dependencies present', { skip: cloneInstall }, () => {
  const clone = join(scratch, 'clone');
  execFileSync('git', ['clone', '-q', REPO_ROOT, clone]);
  const clonePrefix = join(scratch, 'clone-prefix');
  const install = npm(['install', '-g', '--install-links', '--prefix', clonePrefix, '--no-audit', '--no-fund', '.'], clone);
  assert.equal(install.status, 0, install.output);
  const version = spawnSync(join(clonePrefix, 'bin', 'glacier'), ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
});
