// SIGTERM means what Ctrl-C means: while a command waits for a job, either ends it with
// 130 and one line saying how to go on (the job goes on in Glacier).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { startCli } from './helpers/runCli.js';
import { waitForRequests } from './helpers/waitFor.js';
import { clientEnv, rememberArchives, uploadArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { makeScratchDir } from './helpers/scratchDir.js';

describe('signals while waiting for a job', () => {
  const emulator = useEmulator({ jobDelay: 36_000 });
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const cacheDir = makeScratchDir('glacier-interrupt-test-');
    env = clientEnv(emulator, cacheDir);
    await rememberArchives(env, cacheDir, 'v', [await uploadArchive(env, 'v', randomData(10), 'slow')]);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} during retrieve --wait: exit 130 with the way to go on`, async () => {
      await emulator.resetRequestCounts();
      const running = startCli('glacier-retrieve', ['--wait', '--poll-interval', '0.1', '-o-', 'v', 'slow'], { env });
      await waitForRequests(emulator, 'DescribeJob', 2);
      running.child.kill(signal);
      const { status, stderr } = await running.result;
      assert.equal(status, 130, stderr);
      assert.match(stderr, /^glacier: interrupted while waiting for retrieval of archive 'slow'; the job goes on: run the same command again to pick it up$/m);
    });
  }
});
