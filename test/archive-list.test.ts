// archive list, byte for byte (docs/compatibility.md, "Output"): names in byte order, shared
// names as `id:ID<TAB>NAME`, empty names as `id:ID`, names that look like refs prefixed
// with `name:`; --force-ids, --long and --json; answered from the cache alone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { UploadArchiveCommand } from '@aws-sdk/client-glacier';
import { sdkClientFor, type ArchiveInfo } from './helpers/emulator.js';
import { emulatorStarted, useEmulatorFixture } from './helpers/emulatorFixture.js';
import { forbidSdkEnv } from './helpers/forbidSdk.js';
import type { CliResult } from './helpers/runCli.js';

const VAULT = 'listing';
const NAMES = ['plain', 'a', 'B', 'dup', 'dup', 'id:x', 'name:y', '', 'b c'];

const fixture = useEmulatorFixture('glacier-archive-list-', { inventoryDelay: 0 });
let archives: ArchiveInfo[];

function glacier(args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  return fixture.glacier(join(fixture.scratch, 'cache'), args, extra, input);
}

/** Byte order of names, then of ids: the order of the cache's name index. */
function byNameThenId(a: ArchiveInfo, b: ArchiveInfo): number {
  return Buffer.compare(Buffer.from(a.ArchiveDescription), Buffer.from(b.ArchiveDescription)) || Buffer.compare(Buffer.from(a.ArchiveId), Buffer.from(b.ArchiveId));
}

before(async () => {
  await emulatorStarted(fixture.emulator);
  assert.equal((await glacier(['vault', 'create', VAULT])).status, 0);
  // Uploaded elsewhere (straight through the SDK), so the cache learns them from the inventory.
  const client = sdkClientFor(fixture.emulator);
  for (const [index, name] of NAMES.entries()) {
    await client.send(new UploadArchiveCommand({ accountId: '-', vaultName: VAULT, archiveDescription: name, body: Buffer.from(`archive ${index}\n`) }));
  }
  client.destroy();
  // The cache learns creation dates from the inventory, which gives them in whole seconds.
  archives = (await fixture.emulator.listArchives(VAULT)).map((archive) => ({ ...archive, CreationDate: `${archive.CreationDate.slice(0, 19)}Z` })).sort(byNameThenId);
  assert.equal(archives.length, NAMES.length);
  const synced = await glacier(['vault', 'sync', '--wait', '--poll-interval', '1', VAULT]);
  assert.equal(synced.status, 0, synced.stderr);
});

describe('archive list', () => {
  test('prints each name once, shared names by id, in byte order', async () => {
    const idOf = (name: string): string[] => archives.filter((a) => a.ArchiveDescription === name).map((a) => a.ArchiveId);
    const [empty] = idOf('');
    const [dup1, dup2] = idOf('dup');
    const expected = [`id:${empty}`, 'B', 'a', 'b c', `id:${dup1}\tdup`, `id:${dup2}\tdup`, 'name:id:x', 'name:name:y', 'plain'];
    const listed = await glacier(['archive', 'list', VAULT]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout.toString(), `${expected.join('\n')}\n`);
  });

  test('--force-ids prints every archive as id:ID<TAB>NAME', async () => {
    const listed = await glacier(['archive', 'list', '--force-ids', VAULT]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout.toString(), archives.map((a) => `id:${a.ArchiveId}\t${a.ArchiveDescription}\n`).join(''));
  });

  test('--long prints id, size, creation date, tree hash and name, tab-separated', async () => {
    const listed = await glacier(['archive', 'list', '--long', VAULT]);
    assert.equal(listed.status, 0, listed.stderr);
    const expected = archives.map((a) => `${a.ArchiveId}\t${a.Size}\t${a.CreationDate}\t${a.SHA256TreeHash}\t${a.ArchiveDescription}\n`);
    assert.equal(listed.stdout.toString(), expected.join(''));
  });

  test('--json prints one object per line', async () => {
    const listed = await glacier(['archive', 'list', '--json', VAULT]);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.toString().split('\n');
    assert.equal(lines.pop(), '');
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      objects.map(({ id, name, size, creationDate, treeHash }) => ({ id, name, size, creationDate, treeHash })),
      archives.map((a) => ({ id: a.ArchiveId, name: a.ArchiveDescription, size: a.Size, creationDate: a.CreationDate, treeHash: a.SHA256TreeHash })),
    );
    for (const object of objects) {
      assert.equal(object.createdHere, null, 'uploaded elsewhere');
      assert.ok(typeof object.lastSeenUpstream === 'string' && !Number.isNaN(Date.parse(object.lastSeenUpstream)));
    }
  });

  test('answers from the cache alone: no AWS SDK, no emulator needed', async () => {
    const listed = await glacier(['archive', 'list', VAULT], { ...forbidSdkEnv(fixture.scratch), AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9' });
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout.toString().split('\n').length, NAMES.length + 1, 'one line per archive (dup is shared), each ended by a newline');
  });

  test('--long with --json is a usage error, before any work', async () => {
    const listed = await glacier(['archive', 'list', '--long', '--json', VAULT], forbidSdkEnv(fixture.scratch));
    assert.equal(listed.status, 2);
    assert.equal(listed.stdout.length, 0);
    assert.match(listed.stderr, /^glacier: --long and --json/m);
  });

  test('an invalid vault name is a usage error', async () => {
    const listed = await glacier(['archive', 'list', 'no/such'], forbidSdkEnv(fixture.scratch));
    assert.equal(listed.status, 2);
    assert.match(listed.stderr, /^glacier: invalid vault name 'no\/such'/m);
  });

  test('a vault the cache never synced lists nothing, and says how to fill it', async () => {
    assert.equal((await glacier(['vault', 'create', 'never-synced'])).status, 0);
    const listed = await glacier(['archive', 'list', 'never-synced'], forbidSdkEnv(fixture.scratch));
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout.length, 0);
    assert.match(listed.stderr, /glacier: info: the cache knows no archives of vault 'never-synced'/);
  });

  test('archive delete: a name held by two archives is refused; a unique name disappears from the list', async () => {
    const ambiguous = await glacier(['archive', 'delete', VAULT, 'dup']);
    assert.equal(ambiguous.status, 1);
    assert.match(ambiguous.stderr, /glacier: archive name 'dup' is held by 2 archives; name one by id: id:\S+ id:\S+/);
    const unknown = await glacier(['archive', 'delete', VAULT, 'nothing-here']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /glacier: archive 'nothing-here' not found in vault 'listing'/);

    const [first] = archives.filter((a) => a.ArchiveDescription === 'dup');
    const byId = await glacier(['archive', 'delete', VAULT, `id:${first?.ArchiveId}`]);
    assert.equal(byId.status, 0, byId.stderr);
    assert.equal(byId.stdout.length, 0);
    const byRef = await glacier(['archive', 'delete', VAULT, 'name:id:x']);
    assert.equal(byRef.status, 0, byRef.stderr);
    const plain = await glacier(['archive', 'delete', VAULT, 'plain']);
    assert.equal(plain.status, 0, plain.stderr);

    const remaining = await fixture.emulator.listArchives(VAULT);
    assert.deepEqual(remaining.map((a) => a.ArchiveDescription).sort(), ['', 'B', 'a', 'b c', 'dup', 'name:y']);
    const listed = await glacier(['archive', 'list', VAULT]);
    const [, second] = archives.filter((a) => a.ArchiveDescription === 'dup');
    const [empty] = archives.filter((a) => a.ArchiveDescription === '');
    // The other `dup` is now the only one of its name: it prints as a plain name.
    assert.equal(listed.stdout.toString(), [`id:${empty?.ArchiveId}`, 'B', 'a', 'b c', 'dup', 'name:name:y', ''].join('\n'));
    assert.ok(second);
  });

  test('archive delete: a name held by identical copies (a git-annex key stored twice) deletes every copy', async () => {
    for (let copy = 0; copy < 2; copy++) {
      const stored = await glacier(['archive', 'upload', '--name', 'twin', VAULT, '-'], {}, 'the same bytes\n');
      assert.equal(stored.status, 0, stored.stderr);
    }
    const differing = await glacier(['archive', 'upload', '--name', 'twin', VAULT, '-'], {}, 'other bytes\n');
    assert.equal(differing.status, 0, differing.stderr);
    // Copies of different content under one name stay ambiguous: nothing is deleted.
    const refused = await glacier(['archive', 'delete', VAULT, 'twin']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /is held by 3 archives/);
    const odd = (await fixture.emulator.listArchives(VAULT)).find((a) => a.ArchiveDescription === 'twin' && a.Size === 'other bytes\n'.length);
    assert.equal((await glacier(['archive', 'delete', VAULT, `id:${odd?.ArchiveId}`])).status, 0);

    const deleted = await glacier(['archive', 'delete', VAULT, 'twin']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.stdout.length, 0);
    assert.deepEqual(
      (await fixture.emulator.listArchives(VAULT)).filter((a) => a.ArchiveDescription === 'twin'),
      [],
    );
    const listed = await glacier(['archive', 'list', VAULT]);
    assert.doesNotMatch(listed.stdout.toString(), /twin/);
  });
});
