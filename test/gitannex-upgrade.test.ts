// A git-annex user switching from the Python glacier-cli: keys stored, the old tool's cache
// holding them, this tool's own cache empty. `git annex copy --to` (which asks checkpresent
// of every key when not --fast) must upload nothing again, and `git annex get` must find
// the archives at once: queued, then delivered.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { writeOldCache } from './helpers/oldCache.js';
import { binPath } from './helpers/runCli.js';

const JOB_DELAY_SECONDS = 600;
const VAULT = 'annex-upgrade';
const FILES = ['one.bin', 'two.bin', 'three.txt'];
const gitAnnexMissing = spawnSync('git-annex', ['version'], { stdio: 'ignore' }).status !== 0;

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('git-annex after the Python glacier-cli', { skip: gitAnnexMissing ? 'git-annex is not installed' : false }, () => {
  let emulator: Emulator;
  let work: string;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let callLog: string;
  const contents = new Map<string, Buffer>();

  function run(program: string, args: string[]): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
      });
    });
  }

  async function annexOk(args: string[]): Promise<Outcome> {
    const outcome = await run('git', ['annex', ...args]);
    assert.equal(outcome.status, 0, `git annex ${args.join(' ')} failed:\n${outcome.stdout}\n${outcome.stderr}`);
    return outcome;
  }

  const keyOf = async (file: string): Promise<string> => (await annexOk(['lookupkey', file])).stdout.trim();

  before(async () => {
    emulator = await startEmulator({ jobDelay: JOB_DELAY_SECONDS });
    work = mkdtempSync(join(tmpdir(), 'glacier-annex-upgrade-'));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    callLog = join(work, 'glacier-calls.log');
    writeFileSync(
      join(bin, 'glacier'),
      `#!/bin/sh\n'${process.execPath}' '${binPath('glacier')}' "$@"\nstatus=$?\nprintf '%s => exit %s\\n' "$*" "$status" >> '${callLog}'\nexit $status\n`,
    );
    chmodSync(join(bin, 'glacier'), 0o755);
    mkdirSync(join(work, 'home'));
    env = {
      ...emulator.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: join(work, 'home'),
      XDG_CACHE_HOME: join(work, 'cache'),
      GIT_AUTHOR_NAME: 'Annex Tester',
      GIT_AUTHOR_EMAIL: 'tester@example.org',
      GIT_COMMITTER_NAME: 'Annex Tester',
      GIT_COMMITTER_EMAIL: 'tester@example.org',
      GIT_CONFIG_NOSYSTEM: '1',
      GLACIER_RETRY_BASE_MS: '20',
    };
    repo = join(work, 'repo');
    mkdirSync(repo);
    assert.equal((await run('git', ['init', '-q', '-b', 'main'])).status, 0);
    await annexOk(['init', 'upgraded repository']);
    for (const [index, file] of FILES.entries()) {
      const bytes = randomBytes(1000 + index * 70_000);
      writeFileSync(join(repo, file), bytes);
      contents.set(file, bytes);
    }
    await annexOk(['add', '.']);
    assert.equal((await run('git', ['commit', '-q', '-m', 'add files'])).status, 0);
    await annexOk(['initremote', 'glacier', 'type=glacier', 'encryption=none', `vault=${VAULT}`, 'datacenter=us-east-1']);
  });

  after(async () => {
    await emulator?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test('keys stored, then only the old cache knows them', async () => {
    await annexOk(['copy', '--to', 'glacier', ...FILES]);
    const archives = await emulator.listArchives(VAULT);
    assert.equal(archives.length, FILES.length);
    // What the Python tool left behind: its SQLite rows, and no cache of this tool.
    rmSync(join(work, 'cache', 'glacier-cli'), { recursive: true, force: true });
    const stored = Date.now() / 1000;
    writeOldCache(
      join(work, 'cache', 'glacier-cli', 'db'),
      archives.map((archive) => ({ id: archive.ArchiveId, name: archive.ArchiveDescription, vault: VAULT, key: env.AWS_ACCESS_KEY_ID as string, createdHere: stored })),
    );
  });

  test('copy --to without --fast: every key found present, nothing uploaded again', async () => {
    await emulator.resetRequestCounts();
    writeFileSync(callLog, '');
    // Three at once on the empty cache: one of them imports, the others find it done.
    const copy = await run('git', ['annex', '-J3', 'copy', '--to', 'glacier', ...FILES]);
    // git-annex's Glacier remote answers "present" with a refusal to vouch for the copy
    // (an inventory is no proof), and so skips the key: the answer the old tool gave.
    const output = copy.stdout + copy.stderr;
    assert.equal(output.match(/Glacier's inventory says it has a copy/g)?.length, FILES.length, output);
    assert.equal(output.match(/glacier: info: imported 3 archives \(0 of them deleted\) from the old glacier-cli cache /g)?.length, 1, output);
    const counts = await emulator.requestCounts();
    for (const operation of ['UploadArchive', 'InitiateMultipartUpload', 'UploadMultipartPart', 'InitiateJob']) {
      assert.equal(counts[operation] ?? 0, 0, `${operation}: ${JSON.stringify(counts)}`);
    }
    assert.equal((await emulator.listArchives(VAULT)).length, FILES.length);
    const checks = readFileSync(callLog, 'utf8').split('\n').filter((line) => line.includes('archive checkpresent'));
    assert.equal(checks.length, FILES.length, 'git-annex asked about every key');
    assert.ok(checks.every((line) => line.endsWith('=> exit 0')));
  });

  test('get --from: queued at once from the imported names, then delivered', async () => {
    for (const file of FILES) await annexOk(['drop', '--force', file]);
    const first = await run('git', ['annex', 'get', '--from', 'glacier', ...FILES]);
    assert.notEqual(first.status, 0);
    for (const file of FILES) assert.ok(first.stderr.includes(`queued retrieval job for archive '${await keyOf(file)}'`), first.stderr);
    await emulator.advanceClock(JOB_DELAY_SECONDS);
    await annexOk(['get', '--from', 'glacier', ...FILES]);
    for (const file of FILES) assert.ok(readFileSync(join(repo, file)).equals(contents.get(file) as Buffer), `${file} arrived intact`);
  });
});
