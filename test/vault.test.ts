// vault create / list / describe / delete against the emulator, including Glacier's
// refusal to delete a vault that is not empty as of its last inventory.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import type { CliResult } from './helpers/runCli.js';

const fixture = useEmulatorFixture('glacier-vault-', { inventoryDelay: 0 });

function glacier(args: string[], input?: string): Promise<CliResult> {
  return fixture.glacier(join(fixture.scratch, 'cache'), args, {}, input);
}

async function ok(args: string[], input?: string): Promise<CliResult> {
  const result = await glacier(args, input);
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

test('vault list prints nothing at all when there are no vaults', async () => {
  const listed = await ok(['vault', 'list']);
  assert.equal(listed.stdout.length, 0);
});

test('vault create prints nothing, succeeds again on an existing vault; vault list shows it', async () => {
  const created = await ok(['vault', 'create', 'photos']);
  assert.equal(created.stdout.length, 0);
  await ok(['vault', 'create', 'photos']);
  await ok(['vault', 'create', 'archive.2024_a-b']);
  assert.equal((await ok(['vault', 'list'])).stdout.toString(), 'archive.2024_a-b\nphotos\n');
});

test('vault describe prints Glacier fields as Key: value lines', async () => {
  await ok(['archive', 'upload', '--name', 'one', 'photos', '-'], 'one\n');
  await fixture.emulator.forceInventory('photos');
  const described = await ok(['vault', 'describe', 'photos']);
  const lines = described.stdout.toString().split('\n');
  assert.equal(lines.pop(), '');
  const fields = Object.fromEntries(lines.map((line) => line.split(': ') as [string, string]));
  assert.deepEqual(Object.keys(fields), ['VaultName', 'VaultARN', 'CreationDate', 'LastInventoryDate', 'NumberOfArchives', 'SizeInBytes']);
  assert.equal(fields.VaultName, 'photos');
  assert.equal(fields.VaultARN, `arn:aws:glacier:us-east-1:${fixture.emulator.accountId}:vaults/photos`);
  assert.equal(fields.NumberOfArchives, '1');
  assert.equal(fields.SizeInBytes, '4');
  assert.ok(!Number.isNaN(Date.parse(fields.CreationDate ?? '')));
});

test('a vault that does not exist: exit 1 and one line', async () => {
  for (const verb of ['describe', 'delete']) {
    const missing = await glacier(['vault', verb, 'nowhere']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^glacier: vault 'nowhere' not found in region us-east-1$/m);
    assert.equal(missing.stdout.length, 0);
  }
});

test('vault delete: refused while not empty, with the reason; done once an inventory is empty', async () => {
  const refused = await glacier(['vault', 'delete', 'photos']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^glacier: Glacier refuses to delete vault 'photos': it is not empty, or was written to since its last inventory\. .*inventory/m);
  assert.equal((await ok(['vault', 'list'])).stdout.toString(), 'archive.2024_a-b\nphotos\n');

  await ok(['archive', 'delete', 'photos', 'one']);
  await fixture.emulator.forceInventory('photos');
  const deleted = await ok(['vault', 'delete', 'photos']);
  assert.equal(deleted.stdout.length, 0);
  assert.equal((await ok(['vault', 'list'])).stdout.toString(), 'archive.2024_a-b\n');
});

test('bad vault names are usage errors', async () => {
  for (const verb of ['create', 'describe', 'delete']) {
    const bad = await glacier(['vault', verb, 'no way']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^glacier: invalid vault name 'no way'/m);
  }
});
