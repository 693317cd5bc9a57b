// Arguments that cannot work: one line, exit 2, and not a single request. And ids that
// begin with '-' go after `--`, in the hints the tool prints as on the command line.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { commandHint } from '../src/report/quote.js';
import { cliEnv, useEmulator } from './helpers/emulatorFixture.js';
import { makeScratchDir } from './helpers/scratchDir.js';
import { runCli } from './helpers/runCli.js';

describe('bad arguments', () => {
  const emulator = useEmulator();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const home = makeScratchDir('glacier-bad-args-');
    env = cliEnv(emulator, home, join(home, 'cache'), { GLACIER_RETRY_BASE_MS: '10' });
    assert.equal((await runCli('glacier', ['vault', 'create', 'v'], { env })).status, 0);
  });

  const cases: [string, string[], RegExp][] = [
    ['an empty archive id', ['archive', 'delete', 'v', 'id:'], /'id:' names no archive/],
    ['an empty job id', ['job', 'describe', 'v', ''], /JOBID is empty/],
    ['an empty archive name', ['archive', 'delete', 'v', ''], /NAME is empty/],
    ['a region that is not a region name', ['--region', 'us-east-1/../x', 'vault', 'describe', 'v'], /'us-east-1\/..\/x' is not a region name/],
    ['an endpoint that is not a URL', ['--endpoint-url', 'notaurl', 'vault', 'list'], /--endpoint-url takes an http:\/\/ or https:\/\/ URL, not 'notaurl'/],
    ['a profile no AWS file holds', ['--profile', 'nosuch', 'vault', 'list'], /no profile 'nosuch' in \S+config or \S+credentials/],
  ];
  for (const [what, args, message] of cases) {
    test(what, async () => {
      await emulator.resetRequestCounts();
      const result = await runCli('glacier', args, { env, timeoutMs: 30_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').filter((line) => line !== '').length, 1, result.stderr);
      assert.deepEqual(await emulator.requestCounts(), {});
    });
  }

  test("an upload id beginning with '-' is read after --", async () => {
    const result = await runCli('glacier', ['upload', 'abort', 'v', '--', '-abc'], { env, timeoutMs: 30_000 });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /^glacier: no unfinished upload '-abc' in vault 'v'\n$/);
  });

  test("hints put -- before an id beginning with '-'", () => {
    assert.equal(commandHint('upload abort', 'v', '-abc'), 'glacier upload abort v -- -abc');
    assert.equal(commandHint('upload abort', 'v', 'abc'), 'glacier upload abort v abc');
  });
});
