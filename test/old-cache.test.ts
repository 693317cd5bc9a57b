// Switching from the Python glacier-cli: its SQLite cache, built here as that tool wrote
// it, is imported the first time a command needs a vault's rows, once; list, checkpresent,
// delete and sync then behave as the old tool would have; `cache import` takes the rows of
// other keys on request; a file that cannot be used is one warning and no harm.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { forbidSdkEnv } from './helpers/forbidSdk.js';
import { OLD_CACHE_LOCKER, writeOldCache, type OldRow } from './helpers/oldCache.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const INVENTORY_DELAY = 3600;
const OTHER_KEY = 'AKIAROTATEDAWAY00001';

const emulator = useEmulator({ inventoryDelay: INVENTORY_DELAY });
let scratch: string;
let homes = 0;

interface Home {
  dir: string;
  /** Where the old tool kept its cache for this home. */
  oldDb: string;
  env: NodeJS.ProcessEnv;
}

function freshHome(): Home {
  const dir = join(scratch, `home-${++homes}`);
  mkdirSync(dir);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), ...emulator.env, GLACIER_RETRY_BASE_MS: '20' };
  return { dir, oldDb: join(dir, 'cache', 'glacier-cli', 'db'), env };
}

function glacier(home: Home, args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  return runCli('glacier', args, { env: { ...home.env, ...extra }, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
}

async function ok(result: Promise<CliResult>): Promise<CliResult> {
  const done = await result;
  assert.equal(done.status, 0, done.stderr);
  return done;
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

/** Upload through this tool (the vault must hold real archives), returning the archive id. */
async function upload(home: Home, vault: string, name: string): Promise<string> {
  await ok(glacier(home, ['archive', 'upload', '--name', name, vault, '-'], { XDG_CACHE_HOME: join(home.dir, 'scratch-cache') }, `${name}\n`));
  const found = (await emulator.listArchives(vault)).filter((archive) => archive.ArchiveDescription === name);
  const newest = found.at(-1);
  assert.ok(newest !== undefined);
  return newest.ArchiveId;
}

const nowSeconds = (): number => Date.now() / 1000;

describe('the old cache of a vault, imported', () => {
  const vault = 'old-photos';
  let home: Home;
  const ids: Record<string, string> = {};

  before(async () => {
    home = freshHome();
    await ok(glacier(home, ['vault', 'create', vault]));
    for (const name of ['alpha', 'twin', 'twin', '', 'stale', 'gone', 'foreign']) {
      ids[ids[name] === undefined ? name : `${name}2`] = await upload(home, vault, name === '' ? 'unnamed' : name);
    }
    // The old tool deleted `gone` from the vault, then the cache kept its tombstone.
    await ok(glacier(home, ['archive', 'delete', vault, `id:${ids.gone}`], { XDG_CACHE_HOME: join(home.dir, 'scratch-cache') }));
    const key = emulator.env.AWS_ACCESS_KEY_ID;
    const now = nowSeconds();
    const rows: OldRow[] = [
      { id: ids.alpha as string, name: 'alpha', vault, key, createdHere: now - 3600.25 },
      { id: ids.twin as string, name: 'twin', vault, key, createdHere: now - 7200.5 },
      { id: ids.twin2 as string, name: 'twin', vault, key, createdHere: now - 7100.5 },
      // An archive learned from an inventory without a description.
      { id: ids[''] as string, name: '', vault, key, createdHere: now - 50, lastSeenUpstream: Math.floor(now - 86_400) },
      { id: ids.stale as string, name: 'stale', vault, key, createdHere: now - 400 * 3600, lastSeenUpstream: Math.floor(now - 200 * 3600) },
      { id: ids.gone as string, name: 'gone', vault, key, createdHere: now - 9000, deletedHere: now - 600.75 },
      { id: ids.foreign as string, name: 'foreign', vault, key: OTHER_KEY, createdHere: now - 60 },
    ];
    writeOldCache(home.oldDb, rows);
  });

  test('checkpresent on an empty cache: imported once, answered without an inventory job', async () => {
    const before = readFileSync(home.oldDb);
    await emulator.resetRequestCounts();
    const result = await ok(glacier(home, ['--region=us-east-1', 'archive', 'checkpresent', vault, '--quiet', 'alpha']));
    assert.equal(result.stdout.toString(), 'alpha\n');
    assert.deepEqual(lines(result.stderr), [
      `glacier: info: imported 6 archives (1 of them deleted) from the old glacier-cli cache ${home.oldDb} into region us-east-1; left 1 rows of other access keys ('glacier cache import --key AKID' takes them)`,
    ]);
    const counts = await emulator.requestCounts();
    assert.equal(counts.InitiateJob ?? 0, 0, JSON.stringify(counts));
    assert.ok(readFileSync(home.oldDb).equals(before), 'the old file is only read');

    // From now on the cache answers alone: no SDK, no SQLite reader, no second import.
    const cached = await ok(glacier(home, ['archive', 'checkpresent', vault, '--quiet', 'twin'], forbidSdkEnv(home.dir, ['sql.js'])));
    assert.equal(cached.stdout.toString(), 'twin\n');
    assert.equal(cached.stderr, '');
  });

  test('archive list: names, the twin by ids, the nameless by id, no tombstone, no other key', async () => {
    const result = await ok(glacier(home, ['archive', 'list', vault], forbidSdkEnv(home.dir)));
    const twins = [ids.twin as string, ids.twin2 as string].sort();
    assert.deepEqual(lines(result.stdout.toString()), [`id:${ids['']}`, 'alpha', 'stale', ...twins.map((id) => `id:${id}\ttwin`)]);
    assert.equal(result.stderr, '');
  });

  test('checkpresent keeps the 80 h rule: a row last seen 200 h ago is stale until an inventory', async () => {
    const result = await ok(glacier(home, ['archive', 'checkpresent', vault, 'stale']));
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /queued inventory job for 'old-photos'/);
    assert.match(result.stderr, /archive 'stale' found, but has not been seen recently enough/);
  });

  test('vault sync: the tombstone leaves quietly, the stale archive is seen again', async () => {
    await emulator.advanceClock(INVENTORY_DELAY);
    const synced = await ok(glacier(home, ['vault', 'sync', vault]));
    assert.doesNotMatch(synced.stderr, /disappeared|marked deleted|changed name/);
    const present = await ok(glacier(home, ['archive', 'checkpresent', vault, '--quiet', 'stale'], forbidSdkEnv(home.dir)));
    assert.equal(present.stdout.toString(), 'stale\n');
    // The archive of the other key is in the vault: the inventory adds it, as the old tool did.
    assert.match((await ok(glacier(home, ['archive', 'list', vault]))).stdout.toString(), /^foreign$/m);
  });

  test('archive delete of an imported archive: deleted upstream, tombstoned here', async () => {
    await ok(glacier(home, ['archive', 'delete', vault, 'alpha']));
    assert.equal(
      (await emulator.listArchives(vault)).some((archive) => archive.ArchiveId === ids.alpha),
      false,
    );
    assert.doesNotMatch((await ok(glacier(home, ['archive', 'list', vault]))).stdout.toString(), /^alpha$/m);
  });

  test('job list on an empty cache names a retrieval by the name the old cache knew', async () => {
    const queued = await glacier(home, ['archive', 'retrieve', '-o-', vault, 'stale']);
    assert.equal(queued.status, 75, queued.stderr);
    const fresh = freshHome();
    writeOldCache(fresh.oldDb, [{ id: ids.stale as string, name: 'stale', vault, key: emulator.env.AWS_ACCESS_KEY_ID, createdHere: nowSeconds() }]);
    const jobs = await ok(glacier(fresh, ['job', 'list', vault]));
    assert.match(jobs.stdout.toString(), /^a\/[pd] \S+ old-photos stale$/m);
  });
});

describe('glacier cache import', () => {
  const vault = 'old-docs';
  let home: Home;

  before(async () => {
    home = freshHome();
    await ok(glacier(home, ['vault', 'create', vault]));
    const now = nowSeconds();
    writeOldCache(home.oldDb, [
      { id: 'mine-1', name: 'mine', vault, key: emulator.env.AWS_ACCESS_KEY_ID, createdHere: now },
      { id: 'rotated-1', name: 'report', vault, key: OTHER_KEY, createdHere: now - 10 },
      { id: 'rotated-2', name: 'report-old', vault, key: OTHER_KEY, createdHere: now - 20, deletedHere: now - 5 },
    ]);
  });

  test('--dry-run counts and writes nothing', async () => {
    const dry = await ok(glacier(home, ['cache', 'import', '--key', OTHER_KEY, '--dry-run']));
    assert.equal(dry.stdout.length, 0);
    assert.deepEqual(lines(dry.stderr), [
      `glacier: info: would import 2 archives (1 of them deleted) from the old glacier-cli cache ${home.oldDb} into region us-east-1; left 1 rows of other access keys ('glacier cache import --key AKID' takes them)`,
    ]);
    assert.doesNotMatch((await ok(glacier(home, ['archive', 'list', vault]))).stdout.toString(), /report/);
  });

  test('--key imports the rows of a rotated key; again, nothing changes', async () => {
    const first = await ok(glacier(home, ['cache', 'import', '--key', OTHER_KEY]));
    assert.match(first.stderr, /^glacier: info: imported 2 archives \(1 of them deleted\) from/);
    const again = await ok(glacier(home, ['cache', 'import', '--key', OTHER_KEY]));
    assert.match(again.stderr, /^glacier: info: imported 0 archives \(0 of them deleted\) from .*; skipped 2 already known;/);
    assert.deepEqual(lines((await ok(glacier(home, ['archive', 'list', vault]))).stdout.toString()), ['mine', 'report']);
  });

  test('--from another file and --region: rows go to the region in effect', async () => {
    const elsewhere = join(home.dir, 'copied-db');
    writeOldCache(elsewhere, [{ id: 'west-1', name: 'west', vault, key: emulator.env.AWS_ACCESS_KEY_ID, createdHere: nowSeconds() }]);
    await ok(glacier(home, ['--region=eu-west-1', 'vault', 'create', vault]));
    const imported = await ok(glacier(home, ['cache', 'import', '--from', elsewhere, '--region', 'eu-west-1']));
    assert.match(imported.stderr, /imported 1 archives .* into region eu-west-1/);
    // The old tool had no region: its own file's rows join every region they are used in.
    assert.ok(lines((await ok(glacier(home, ['--region=eu-west-1', 'archive', 'list', vault]))).stdout.toString()).includes('west'));
    assert.doesNotMatch((await ok(glacier(home, ['archive', 'list', vault]))).stdout.toString(), /west/);
  });

  test('no file: one line, exit 1', async () => {
    const result = await glacier(home, ['cache', 'import', '--from', join(home.dir, 'nothing-here')]);
    assert.equal(result.status, 1);
    assert.deepEqual(lines(result.stderr), [`glacier: no old glacier-cli cache at ${join(home.dir, 'nothing-here')}`]);
  });
});

describe('an old cache that cannot be used: one warning, and the command carries on', () => {
  const vault = 'old-broken';
  const key = (): string => emulator.env.AWS_ACCESS_KEY_ID;

  before(async () => {
    await ok(glacier(freshHome(), ['vault', 'create', vault]));
  });

  /** A home whose cache knows the account, with an old file made by `spoil`. */
  async function homeWith(spoil: (path: string) => void): Promise<Home> {
    const home = freshHome();
    await ok(glacier(home, ['archive', 'upload', '--name', 'kept', vault, '-'], {}, 'kept\n'));
    spoil(home.oldDb);
    return home;
  }

  function goodFile(path: string, rows = 50): void {
    writeOldCache(
      path,
      Array.from({ length: rows }, (_, index) => ({ id: `row-${index}`, name: `name-${index}-${'x'.repeat(200)}`, vault, key: key(), createdHere: nowSeconds() })),
    );
  }

  const cases: [string, (path: string) => void, RegExp][] = [
    [
      'not SQLite at all',
      (path) => {
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, 'this is not a database\n'.repeat(20));
      },
      /is not a SQLite database/,
    ],
    [
      'truncated',
      (path) => {
        goodFile(path);
        truncateSync(path, 4096 + 100);
      },
      /is truncated/,
    ],
    [
      'corrupt pages',
      (path) => {
        goodFile(path);
        const bytes = readFileSync(path);
        bytes.fill(0xa5, 4096, bytes.length);
        writeFileSync(path, bytes);
      },
      /cannot be read as SQLite|is not a readable SQLite/,
    ],
    [
      'a foreign schema',
      (path) => {
        mkdirSync(join(path, '..'), { recursive: true });
        writeOldCache(join(path, '..', 'tmp-db'), []);
        writeFileSync(path, readFileSync(join(path, '..', 'tmp-db')));
        rmSync(join(path, '..', 'tmp-db'));
        const other = spawnPython(
          `import sqlite3,sys\ndb=sqlite3.connect(sys.argv[1])\ndb.execute('DROP TABLE archive')\ndb.execute('CREATE TABLE archive (id TEXT, title TEXT)')\ndb.commit()\n`,
          path,
        );
        assert.equal(other, 0);
      },
      /is not a glacier-cli cache: its table 'archive' lacks/,
    ],
    [
      'unreadable',
      (path) => {
        goodFile(path);
        chmodSync(path, 0o000);
      },
      /cannot read .*EACCES/,
    ],
  ];

  for (const [what, spoil, says] of cases) {
    const asRoot = what === 'unreadable' && process.getuid?.() === 0;
    test(`${what}: archive list warns once, lists, and cache import fails with one line`, { skip: asRoot ? 'root reads any file' : false }, async () => {
      const home = await homeWith(spoil);
      const listed = await ok(glacier(home, ['archive', 'list', vault]));
      assert.equal(listed.stdout.toString(), 'kept\n');
      const warnings = lines(listed.stderr);
      assert.equal(warnings.length, 1, listed.stderr);
      assert.match(warnings[0] as string, /^glacier: warning: the old glacier-cli cache was not imported: /);
      assert.match(warnings[0] as string, says);
      // Said once for this version of the file.
      assert.equal((await ok(glacier(home, ['archive', 'list', vault]))).stderr, '');
      const explicit = await glacier(home, ['cache', 'import']);
      assert.equal(explicit.status, 1);
      assert.equal(lines(explicit.stderr).length, 1, explicit.stderr);
      assert.match(explicit.stderr, says);
    });
  }

  test('locked by a writer: a warning each time until it is free, then imported', async () => {
    const home = await homeWith((path) => goodFile(path, 3));
    const locker = spawn('python3', ['-c', OLD_CACHE_LOCKER, home.oldDb], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const ready = createInterface({ input: locker.stdout });
      await new Promise<void>((resolve) => ready.once('line', () => resolve()));
      for (let attempt = 0; attempt < 2; attempt++) {
        const listed = await ok(glacier(home, ['archive', 'list', vault]));
        assert.equal(listed.stdout.toString(), 'kept\n');
        assert.match(listed.stderr, /^glacier: warning: the old glacier-cli cache was not imported: .* is in use/);
      }
    } finally {
      locker.stdin.end();
      await new Promise((resolve) => locker.on('close', resolve));
    }
    const listed = await ok(glacier(home, ['archive', 'list', vault]));
    assert.match(listed.stderr, /imported 3 archives/);
    assert.equal(lines(listed.stdout.toString()).length, 4);
  });
});

function spawnPython(code: string, path: string): number | null {
  return spawnSync('python3', ['-c', code, path], { stdio: 'inherit' }).status;
}

before(async () => {
  scratch = makeScratchDir('glacier-old-cache-');
});

after(async () => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});
