// --json on every listing and report: one JSON object per line on stdout, each line
// parsing on its own; and -h / --human-readable sizes where sizes are shown.
import assert from 'node:assert/strict';
import { InitiateMultipartUploadCommand } from '@aws-sdk/client-glacier';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { binPath, runCli } from './helpers/runCli.js';
import { clientEnv, glacierClient } from './retrieveFixtures.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const VAULT = 'json-vault';
let scratch: string;
const emulator = useEmulator();
let env: NodeJS.ProcessEnv;

before(async () => {
  await emulatorStarted(emulator);
  scratch = makeScratchDir('glacier-json-');
  env = clientEnv(emulator, join(scratch, 'cache'));
  await ok(['vault', 'create', VAULT]);
  writeFileSync(join(scratch, 'a.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
  await ok(['archive', 'upload', VAULT, join(scratch, 'a.bin')]);
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

async function ok(args: string[], status = 0): Promise<string> {
  const result = await runCli('glacier', args, { env, cwd: scratch });
  assert.equal(result.status, status, `glacier ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.toString();
}

/** Every line one JSON object. */
function objects(stdout: string): Record<string, unknown>[] {
  assert.ok(stdout.endsWith('\n'), 'ends with a newline');
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const parsed: unknown = JSON.parse(line);
      assert.equal(typeof parsed, 'object');
      assert.ok(parsed !== null && !Array.isArray(parsed));
      return parsed as Record<string, unknown>;
    });
}

test('vault list --json and vault describe --json', async () => {
  const vaults = objects(await ok(['vault', 'list', '--json']));
  assert.deepEqual(
    vaults.map((vault) => vault.VaultName),
    [VAULT],
  );
  const [described] = objects(await ok(['vault', 'describe', '--json', VAULT]));
  assert.equal(described?.VaultName, VAULT);
  assert.match(String(described?.VaultARN), /:vaults\/json-vault$/);
});

test('vault describe -h shows SizeInBytes for a person', async () => {
  await emulator.forceInventory(VAULT);
  const text = await ok(['vault', 'describe', '-h', VAULT]);
  assert.match(text, /^SizeInBytes: 3M$/m);
  const [described] = objects(await ok(['vault', 'describe', '--human-readable', '--json', VAULT]));
  assert.equal(described?.SizeInBytes, '3M');
});

test('archive list --long -h, with a header on a terminal only', async () => {
  const long = await ok(['archive', 'list', '--long', '-h', VAULT]);
  assert.match(long, /^\S+\t3M\t\S+\t[0-9a-f]{64}\ta\.bin\n$/);
  assert.equal(objects(await ok(['archive', 'list', '--json', VAULT]))[0]?.size, 3 * 1024 * 1024);
  const command = [process.execPath, binPath('glacier'), 'archive', 'list', '--long', VAULT].map((word) => `'${word}'`).join(' ');
  const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { env, encoding: 'utf8' });
  assert.equal(terminal.status, 0, terminal.stdout);
  const [header, row] = terminal.stdout.split(/\r?\n/);
  assert.equal(header, 'ID\tSIZE\tCREATED\tTREE HASH\tNAME\tPATH');
  assert.match(row ?? '', /\t3145728\t/);
});

test('upload list --json', async () => {
  const client = glacierClient(env);
  const started = await client.send(new InitiateMultipartUploadCommand({ accountId: '-', vaultName: VAULT, partSize: String(1024 * 1024), archiveDescription: 'unfinished' }));
  client.destroy();
  const [upload] = objects(await ok(['upload', 'list', '--json', VAULT]));
  assert.deepEqual(upload, {
    vault: VAULT,
    uploadId: started.uploadId,
    creationDate: upload?.creationDate,
    partSize: 1024 * 1024,
    partsSent: null,
    source: null,
    name: 'unfinished',
  });
});

test('vault sync --json, job list --json and job describe --json', async () => {
  const [queued] = objects(await ok(['vault', 'sync', '--json', VAULT], 75));
  assert.deepEqual(queued, { vault: VAULT, pending: true });
  await emulator.advanceClock(600);
  const [summary] = objects(await ok(['vault', 'sync', '--json', VAULT]));
  assert.equal(summary?.vault, VAULT);
  assert.equal(summary?.applied, true);
  assert.equal(summary?.listed, 1);
  const jobs = objects(await ok(['job', 'list', '--json', VAULT]));
  assert.equal(jobs.length, 1);
  // A job id may begin with '-' (one in 64): '--' ends the options.
  const [job] = objects(await ok(['job', 'describe', '--json', VAULT, '--', String(summary?.jobId)]));
  assert.equal(job?.JobId, summary?.jobId);
  assert.equal(job?.Action, 'InventoryRetrieval');
});

test('treehash --json', async () => {
  const [hash] = objects(await ok(['treehash', '--json', join(scratch, 'a.bin')]));
  assert.equal(hash?.input, join(scratch, 'a.bin'));
  assert.match(String(hash?.treeHash), /^[0-9a-f]{64}$/);
});
