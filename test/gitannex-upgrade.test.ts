// A git-annex user switching from the Python glacier-cli: keys stored, the old tool's cache
// holding them, this tool's own cache empty. `git annex copy --to` (which asks checkpresent
// of every key when not --fast) must upload nothing again, and `git annex get` must find
// the archives at once: queued, then delivered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAnnexRepo, type AnnexRepo } from './helpers/annexRepo.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { writeOldCache } from './helpers/oldCache.js';
import { randomData } from './helpers/randomData.js';
import { removeScratchDir } from './helpers/scratchDir.js';

const JOB_DELAY_SECONDS = 600;
const VAULT = 'annex-upgrade';
const FILES = ['one.bin', 'two.bin', 'three.txt'];
const gitAnnexMissing = spawnSync('git-annex', ['version'], { stdio: 'ignore' }).status !== 0;

describe('git-annex after the Python glacier-cli', { skip: gitAnnexMissing ? 'git-annex is not installed' : false }, () => {
  const emulator = useEmulator({ jobDelay: JOB_DELAY_SECONDS });
  let annex: AnnexRepo;
  const contents = new Map<string, Buffer>();

  before(async () => {
    annex = await createAnnexRepo(emulator, 'glacier-annex-upgrade-');
    for (const [index, file] of FILES.entries()) {
      const bytes = randomData(1000 + index * 70_000);
      writeFileSync(join(annex.repo, file), bytes);
      contents.set(file, bytes);
    }
    await annex.annexOk(['add', '.']);
    assert.equal((await annex.run('git', ['commit', '-q', '-m', 'add files'])).status, 0);
    await annex.annexOk(['initremote', 'glacier', 'type=glacier', 'encryption=none', `vault=${VAULT}`, 'datacenter=us-east-1']);
  });

  after(async () => {
    if (annex !== undefined) removeScratchDir(annex.work);
  });

  test('keys stored, then only the old cache knows them', async () => {
    await annex.annexOk(['copy', '--to', 'glacier', ...FILES]);
    const archives = await emulator.listArchives(VAULT);
    assert.equal(archives.length, FILES.length);
    // What the Python tool left behind: its SQLite rows, and no cache of this tool.
    rmSync(join(annex.work, 'cache', 'glacier-cli'), { recursive: true, force: true });
    const stored = Date.now() / 1000;
    writeOldCache(
      join(annex.work, 'cache', 'glacier-cli', 'db'),
      archives.map((archive) => ({ id: archive.ArchiveId, name: archive.ArchiveDescription, vault: VAULT, key: emulator.env.AWS_ACCESS_KEY_ID, createdHere: stored })),
    );
  });

  test('copy --to without --fast: every key found present, nothing uploaded again', async () => {
    await emulator.resetRequestCounts();
    writeFileSync(annex.callLog, '');
    // Three at once on the empty cache: one of them imports, the others find it done.
    const copy = await annex.annex(['-J3', 'copy', '--to', 'glacier', ...FILES]);
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
    const checks = readFileSync(annex.callLog, 'utf8')
      .split('\n')
      .filter((line) => line.includes('archive checkpresent'));
    assert.equal(checks.length, FILES.length, 'git-annex asked about every key');
    assert.ok(checks.every((line) => line.endsWith('=> exit 0')));
  });

  test('get --from: queued at once from the imported names, then delivered', async () => {
    for (const file of FILES) await annex.annexOk(['drop', '--force', file]);
    const first = await annex.annex(['get', '--from', 'glacier', ...FILES]);
    assert.notEqual(first.status, 0);
    for (const file of FILES) assert.ok(first.stderr.includes(`queued retrieval job for archive '${await annex.keyOf(file)}'`), first.stderr);
    await emulator.advanceClock(JOB_DELAY_SECONDS);
    await annex.annexOk(['get', '--from', 'glacier', ...FILES]);
    for (const file of FILES) assert.ok(readFileSync(join(annex.repo, file)).equals(contents.get(file) as Buffer), `${file} arrived intact`);
  });
});
