// A name with control characters (from another tool, or a misbehaving server) is printed
// escaped: one line per archive, and never a byte a terminal would obey.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli } from './helpers/runCli.js';
import { clientEnv, rememberArchives, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const EVIL = 'evil\u001b]0;owned\u0007\nsecond line\u009b31m\\end';
const ESCAPED = 'evil\\x1b]0;owned\\x07\\nsecond line\\x9b31m\\\\end';

describe('names with control characters in listings', () => {
  const emulator = useEmulator();
  let env: NodeJS.ProcessEnv;
  let evil: UploadedArchive;
  before(async () => {
    const cacheDir = makeScratchDir('glacier-listing-names-');
    env = clientEnv(emulator, cacheDir);
    const plain = await uploadArchive(env, 'v', randomData(10), 'plain');
    evil = { ...(await uploadArchive(env, 'v', randomData(10), 'placeholder')), name: EVIL };
    await rememberArchives(env, cacheDir, 'v', [plain, evil]);
  });

  const noControls = (text: string): void => assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);

  test('archive list: one line each, escaped', async () => {
    const listed = await runCli('glacier', ['archive', 'list', 'v'], { env });
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout.toString(), `${ESCAPED}\nplain\n`);
  });

  test('archive list --long and --json: one line each, no control byte', async () => {
    for (const format of ['--long', '--json']) {
      const listed = await runCli('glacier', ['archive', 'list', format, 'v'], { env });
      assert.equal(listed.status, 0, listed.stderr);
      const text = listed.stdout.toString();
      assert.equal(text.split('\n').length, 3, text);
      noControls(text.replace(/\t/g, ' '));
    }
    const json = (await runCli('glacier', ['archive', 'list', '--json', 'v'], { env })).stdout.toString().split('\n');
    assert.equal((JSON.parse(json[0] as string) as { name: string }).name, EVIL, 'JSON still reads back as the name');
  });

  test('messages quote it escaped too', async () => {
    const result = await runCli('glacier', ['archive', 'checkpresent', '--max-age', '0', 'v', EVIL], { env });
    noControls(result.stderr.replace(/\n/g, ' '));
  });
});
