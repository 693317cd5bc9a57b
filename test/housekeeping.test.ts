// archive delete with several names, and vault purge, through the real executables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli, startCli } from './helpers/runCli.js';
import { waitForRequests } from './helpers/waitFor.js';
import { vaultWith } from './migrateFixtures.js';

describe('housekeeping', () => {
  const emulator = useEmulator({ jobDelay: 0 });

  const glacier = (env: NodeJS.ProcessEnv, args: string[]) => runCli('glacier', args, { env, timeoutMs: 60_000 });
  const liveNames = async (vault: string): Promise<string[]> => (await emulator.listArchives(vault)).map((archive) => archive.ArchiveDescription).sort();

  test('archive delete: several names in one command', async () => {
    const fixture = await vaultWith(emulator, undefined, ['a', 'b', 'c', 'dup', 'dup']);
    const result = await glacier(fixture.env, ['archive', 'delete', fixture.vault, 'a', `id:${fixture.archives[1]!.id}`]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(await liveNames(fixture.vault), ['c', 'dup', 'dup']);
    const listed = await glacier(fixture.env, ['archive', 'list', fixture.vault]);
    assert.deepEqual(
      listed.stdout
        .toString()
        .trim()
        .split('\n')
        .map((line) => line.split('\t').pop())
        .sort(),
      ['c', 'dup', 'dup'],
    );
  });

  test('archive delete: an unknown or ambiguous name stops the command before the first delete; --continue skips it', async () => {
    const fixture = await vaultWith(emulator, undefined, ['a', 'b', 'dup', 'dup']);
    await emulator.resetRequestCounts();
    const refused = await glacier(fixture.env, ['archive', 'delete', fixture.vault, 'a', 'nothing-here', 'dup', 'b']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /'nothing-here' not found/);
    assert.match(refused.stderr, /'dup' is held by 2 archives/);
    assert.match(refused.stderr, /nothing deleted: 2 of 4 names/);
    assert.equal((await emulator.requestCounts()).DeleteArchive, undefined);
    assert.deepEqual(await liveNames(fixture.vault), ['a', 'b', 'dup', 'dup']);

    const skipped = await glacier(fixture.env, ['archive', 'delete', '--continue', fixture.vault, 'a', 'nothing-here', 'dup', 'b']);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.match(skipped.stderr, /warning: skipped: archive 'nothing-here' not found/);
    assert.deepEqual(await liveNames(fixture.vault), ['dup', 'dup']);
  });

  test('vault purge: a count, --yes, every archive deleted, resumable, and when the vault can go', async () => {
    const fixture = await vaultWith(emulator, undefined, ['x', 'y', 'z']);
    const unconfirmed = await glacier(fixture.env, ['vault', 'purge', fixture.vault]);
    assert.equal(unconfirmed.status, 2, unconfirmed.stderr);
    assert.match(unconfirmed.stderr, /confirm with --yes/);
    assert.equal((await liveNames(fixture.vault)).length, 3);

    // A purge cut short: one archive deleted already, elsewhere.
    await glacier(fixture.env, ['archive', 'delete', fixture.vault, 'y']);
    const purged = await glacier(fixture.env, ['vault', 'purge', '--yes', fixture.vault]);
    assert.equal(purged.status, 0, purged.stderr);
    assert.match(purged.stderr, /2 archives \(2\.0 KiB\) to delete/);
    assert.match(purged.stderr, /deleted 2 archives/);
    assert.match(purged.stderr, /can be deleted once Glacier's next inventory shows it empty/);
    assert.deepEqual(await liveNames(fixture.vault), []);

    const again = await glacier(fixture.env, ['vault', 'purge', '--yes', fixture.vault]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /no archive left to delete/);
  });

  test('vault purge: Ctrl-C stops it between two deletes (exit 130); the same command deletes the rest', async () => {
    const fixture = await vaultWith(emulator, undefined, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    await emulator.resetRequestCounts();
    // Each delete takes a while, so the signal lands while one is in flight.
    await emulator.addFault('DeleteArchive:delay:ms=300');
    try {
      const running = startCli('glacier', ['vault', 'purge', '--yes', fixture.vault], { env: fixture.env });
      await waitForRequests(emulator, 'DeleteArchive', 2);
      running.child.kill('SIGINT');
      const stopped = await running.result;
      assert.equal(stopped.status, 130, stopped.stderr);
      assert.match(stopped.stderr, /^glacier: interrupted after deleting [2-5] of 6 archives of vault '[^']+': run the same command again to delete the rest$/m);
      const left = (await liveNames(fixture.vault)).length;
      assert.ok(left >= 1 && left <= 4, `${left} archives left`);
    } finally {
      await emulator.clearFaults();
    }
    const rest = await glacier(fixture.env, ['vault', 'purge', '--yes', fixture.vault]);
    assert.equal(rest.status, 0, rest.stderr);
    assert.deepEqual(await liveNames(fixture.vault), []);
  });
});
