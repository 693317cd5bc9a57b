// The one retry layer, counted at the emulator: under a fault that never goes away, each
// request is sent at most GLACIER_RETRY_ATTEMPTS times, whatever the operation and
// whether the failure is an error answer or a body that breaks off, trickles or lies.
// An endpoint that refuses connections gets three quick attempts whatever that setting.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { closedPort } from './helpers/tinyproxy.js';
import { clientEnv } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { MiB } from '../src/streams/treeHash.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const ATTEMPTS = 3;

describe('retries under persistent faults', () => {
  const emulator = useEmulator({ jobDelay: 0, inventoryDelay: 0 });
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const glacier = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> => runCli('glacier', args, { env: { ...env, ...extra }, timeoutMs: 60_000 });

  before(async () => {
    dir = makeScratchDir('glacier-retry-test-');
    env = { ...clientEnv(emulator, join(dir, 'cache')), GLACIER_RETRY_ATTEMPTS: String(ATTEMPTS), GLACIER_RETRY_BASE_MS: '1' };
    const small = join(dir, 'small.bin');
    writeFileSync(small, randomData(1000));
    for (const args of [
      ['vault', 'create', 'budget'],
      ['archive', 'upload', '--name', 'small', 'budget', small],
    ]) {
      const result = await glacier(args);
      assert.equal(result.status, 0, result.stderr);
    }
    assert.equal((await glacier(['archive', 'retrieve', '-o-', 'budget', 'small'])).status, 75);
    assert.equal((await glacier(['vault', 'sync', 'budget'], { GLACIER_CACHE_DIR: join(dir, 'inventory-cache') })).status, 75);
  });

  /** Runs `args` under `fault` and answers how often the fault's operation reached the emulator. */
  async function underFault(fault: string, args: string[], extra: NodeJS.ProcessEnv = {}, input?: Buffer): Promise<{ result: CliResult; sent: number }> {
    await emulator.resetRequestCounts();
    await emulator.addFault(fault);
    try {
      const result = await runCli('glacier', args, { env: { ...env, ...extra }, timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });
      return { result, sent: (await emulator.requestCounts())[fault.split(':')[0] as string] ?? 0 };
    } finally {
      await emulator.clearFaults();
    }
  }

  const cases: Array<[string, string[]]> = [
    ['CreateVault:500', ['vault', 'create', 'another']],
    ['UploadArchive:500', ['archive', 'upload', '--name', 'again', 'budget', '-']],
    ['UploadArchive:reset', ['archive', 'upload', '--name', 'again', 'budget', '-']],
    ['InitiateJob:throttle', ['archive', 'retrieve', '-o-', '--force', 'budget', 'id:not-an-archive-of-this-vault']],
    ['ListJobs:500', ['job', 'list']],
    ['GetJobOutput:500', ['archive', 'retrieve', '-o-', 'budget', 'small']],
    ['GetJobOutput:reset', ['archive', 'retrieve', '-o-', 'budget', 'small']],
    ['GetJobOutput:truncate', ['archive', 'retrieve', '-o-', 'budget', 'small']],
    ['GetJobOutput:corrupt', ['archive', 'retrieve', '-o-', 'budget', 'small']],
  ];
  for (const [fault, args] of cases) {
    test(`${fault}: ${ATTEMPTS} attempts, then one clear failure`, async () => {
      const { result, sent } = await underFault(fault, args, {}, args.includes('-') ? randomData(100) : undefined);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(sent, ATTEMPTS, result.stderr);
      assert.equal(result.stderr.match(/warning: .*(retry|fetching it again)/g)?.length, ATTEMPTS - 1, result.stderr);
      assert.doesNotMatch(result.stderr, /glacier: warning: glacier:|TimeoutError|unexpected error/);
      assert.equal(result.stdout.length, 0);
    });
  }

  test('a part upload that keeps failing: 3 attempts, then the resume hint', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomData(2 * MiB + 1));
    const { result, sent } = await underFault('UploadPart:500', ['archive', 'upload', '--name', 'big', '--part-size', '1M', '--concurrency', '1', 'budget', big]);
    assert.equal(result.status, 1);
    assert.equal(sent, ATTEMPTS);
    assert.match(result.stderr, /the upload of 'big' stopped and can be resumed: run: /);
  });

  test('a download to a file that keeps failing: 3 attempts, then the resume hint', async () => {
    const target = join(dir, 'small.out');
    const { result, sent } = await underFault('GetJobOutput:reset', ['archive', 'retrieve', '-o', target, 'budget', 'small']);
    assert.equal(result.status, 1);
    assert.equal(sent, ATTEMPTS);
    assert.match(
      result.stderr,
      /^glacier: .*connection (reset|closed by the server); gave up after 3 attempts; the verified part of 'small' stays in \S+small\.out\.glacier-partial: run the same command again to resume$/m,
    );
  });

  test('the inventory download: 3 attempts per range', async () => {
    const { result, sent } = await underFault('GetJobOutput:500', ['vault', 'sync', 'budget'], { GLACIER_CACHE_DIR: join(dir, 'inventory-cache') });
    assert.equal(result.status, 1);
    assert.equal(sent, ATTEMPTS, result.stderr);
  });

  test('a body that trickles in is abandoned as a timeout and fetched again', async () => {
    const { result, sent } = await underFault('GetJobOutput:trickle:count=1:ms=50', ['archive', 'retrieve', '-o-', 'budget', 'small'], { GLACIER_IDLE_TIMEOUT: '1' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.length, 1000);
    assert.equal(sent, 2);
    assert.match(result.stderr, /warning: .*: timed out: \d+ bytes in 1 s, slower than 1024 bytes\/s; retry 1 of 2/);
  });

  test('a body that trickles for good: 3 attempts', async () => {
    const { result, sent } = await underFault('GetJobOutput:trickle:ms=50', ['archive', 'retrieve', '-o-', 'budget', 'small'], { GLACIER_IDLE_TIMEOUT: '1' });
    assert.equal(result.status, 1);
    assert.equal(sent, ATTEMPTS);
    assert.match(result.stderr, /^glacier: .*timed out: \d+ bytes in 1 s, slower than 1024 bytes\/s; gave up after 3 attempts$/m);
  });

  test('an endpoint that refuses connections: 3 quick attempts whatever GLACIER_RETRY_ATTEMPTS, one line naming it', async () => {
    const port = await closedPort();
    const started = performance.now();
    const result = await runCli('glacier', ['--debug', 'vault', 'list'], {
      env: { ...env, AWS_ENDPOINT_URL_GLACIER: `http://127.0.0.1:${port}`, GLACIER_RETRY_ATTEMPTS: '25', GLACIER_RETRY_BASE_MS: '500' },
      timeoutMs: 60_000,
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.status, 1);
    assert.equal(result.stderr.match(/debug: ListVaults attempt \d: GET \/-\/vaults -> failed: connection refused by 127\.0\.0\.1:\d+/g)?.length, 3, result.stderr);
    const lines = result.stderr
      .trimEnd()
      .split('\n')
      .filter((line) => !line.includes(': debug: ') && !line.includes(': warning: '));
    assert.deepEqual(lines, [`glacier: cannot reach Glacier at http://127.0.0.1:${port}: connection refused by 127.0.0.1:${port}`]);
    // An upper bound only, far above the 1.5 s of pauses the policy takes.
    assert.ok(seconds < 30, `${seconds} s`);
  });
});
