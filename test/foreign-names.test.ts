// Archive descriptions written by other tools, taken from their documentation and test
// fixtures: mt-aws-glacier (`mt2 ` + base64url JSON), FastGlacier (`<m>...<p>base64</p>...</m>`)
// and JSON descriptions. The decoded path shows in `archive list --long`/`--json`, and a
// retrieval without -o writes the decoded file name; the description stays the name.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeForeignName, foreignFileName } from '../src/foreignName.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli } from './helpers/runCli.js';
import { clientEnv } from './retrieveFixtures.js';
import { makeScratchDir } from './helpers/scratchDir.js';

/** Real descriptions and the paths they hold. */
const SAMPLES: [string, string | undefined][] = [
  // mt-aws-glacier's own fixtures (t/unit/metadata.t)
  ['mt2 eyJmaWxlbmFtZSI6ImZpbGUiLCJtdGltZSI6IjIwMTIxMTE0VDIwMTYxOFoifQ', 'file'],
  ['mt2 eyJmaWxlbmFtZSI6ImZpbGUvYSIsIm10aW1lIjoiMjAxMjExMDNUMDYyOTM4WiJ9', 'file/a'],
  // an inventory entry written by mt-aws-glacier, as Amazon returned it
  ['mt2 eyJmaWxlbmFtZSI6ImZpbGUudHh0IiwibXRpbWUiOiIyMDEzMTIxOVQwODMzMDFaIn0', 'file.txt'],
  ['mt2 eyJmaWxlbmFtZSI6InZhci93d3cvbmV0Y3Y0XzExL25jZGVscmVjLmpzIiwibXRpbWUiOiIyMDA4MDgwN1QwNjUwMzFaIn0', 'var/www/netcv4_11/ncdelrec.js'],
  // mt2 with no file name (padded, as another tool wrote it): no path
  ['mt2 eyJtdGltZSI6IjAifQ==', undefined],
  // FastGlacier's documented v4 example
  ['<m><v>4</v><p>Z2xhY2llci1kZy5wZGY=</p><lm>20120821T170824Z</lm><ce>1:1:4340ebcf79712dc5e3ef7d50bab98ba5:54687</ce></m>', 'glacier-dg.pdf'],
  ['{"path": "photos/2019/beach day.jpg", "mtime": 1546300800}', 'photos/2019/beach day.jpg'],
  // plain names are names
  ['backup.tar', undefined],
  ['SHA256E-s1048576--a6c3a1ad1c2dc4b4f3e0dd0bd2e5d8d5d6e8c2b5a0d7e5c2c8b3f4f1e2d3c4b5.bin', undefined],
  ['<m>not base64 here</m>', undefined],
];

describe('decoding', () => {
  for (const [description, path] of SAMPLES) {
    test(description.slice(0, 40), () => assert.equal(decodeForeignName(description), path));
  }
  test('the file name is the last component, made safe', () => {
    assert.equal(foreignFileName('mt2 eyJmaWxlbmFtZSI6InZhci93d3cvbmV0Y3Y0XzExL25jZGVscmVjLmpzIiwibXRpbWUiOiIyMDA4MDgwN1QwNjUwMzFaIn0'), 'ncdelrec.js');
    assert.equal(foreignFileName('{"path": "C:\\\\Users\\\\me\\\\notes.txt"}'), 'notes.txt');
    assert.equal(foreignFileName('{"path": "../.."}'), undefined);
    assert.equal(foreignFileName('{"path": "a/b\\u0007\\u001b[2Jc"}'), 'b[2Jc');
    assert.equal(foreignFileName('backup.tar'), undefined);
  });
});

describe('listing and retrieving archives named by other tools', () => {
  const VAULT = 'foreign';
  const MT2 = 'mt2 eyJmaWxlbmFtZSI6ImZpbGUvYSIsIm10aW1lIjoiMjAxMjExMDNUMDYyOTM4WiJ9';
  const FAST = '<m><v>4</v><p>Z2xhY2llci1kZy5wZGY=</p><lm>20120821T170824Z</lm><ce>1:1:4340ebcf79712dc5e3ef7d50bab98ba5:54687</ce></m>';
  let scratch: string;
  const emulator = useEmulator();
  let env: NodeJS.ProcessEnv;
  const glacier = async (args: string[], input?: string) => runCli('glacier', args, { env, cwd: scratch, ...(input !== undefined ? { input } : {}) });

  before(async () => {
    scratch = makeScratchDir('glacier-foreign-');
    env = clientEnv(emulator, join(scratch, 'cache'));
    assert.equal((await glacier(['vault', 'create', VAULT])).status, 0);
    for (const name of [MT2, FAST, 'plain.txt']) {
      const upload = await glacier(['archive', 'upload', '--name', name, VAULT, '-'], `bytes of ${name}\n`);
      assert.equal(upload.status, 0, upload.stderr);
    }
  });
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
  });

  test('archive list shows the description as the name, and the decoded path beside it', async () => {
    const names = await glacier(['archive', 'list', VAULT]);
    assert.equal(
      names.stdout.toString(),
      [FAST, MT2, 'plain.txt']
        .sort()
        .map((name) => `${name}\n`)
        .join(''),
    );
    const json = (await glacier(['archive', 'list', '--json', VAULT])).stdout
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; path?: string });
    assert.deepEqual(
      json.map(({ name, path }) => [name, path]),
      [
        [FAST, 'glacier-dg.pdf'],
        [MT2, 'file/a'],
        ['plain.txt', undefined],
      ],
    );
    const long = (await glacier(['archive', 'list', '--long', VAULT])).stdout
      .toString()
      .trim()
      .split('\n')
      .map((line) => line.split('\t').slice(4));
    assert.deepEqual(long, [[FAST, 'glacier-dg.pdf'], [MT2, 'file/a'], ['plain.txt']]);
  });

  test('retrieval without -o writes the decoded file name', async () => {
    const queued = await glacier(['archive', 'retrieve', VAULT, MT2, FAST]);
    assert.equal(queued.status, 75, queued.stderr);
    await emulator.advanceClock(600);
    const done = await glacier(['archive', 'retrieve', VAULT, MT2, FAST]);
    assert.equal(done.status, 0, done.stderr);
    assert.equal(readFileSync(join(scratch, 'a'), 'utf8'), `bytes of ${MT2}\n`);
    assert.equal(readFileSync(join(scratch, 'glacier-dg.pdf'), 'utf8'), `bytes of ${FAST}\n`);
    assert.equal(existsSync(join(scratch, 'm>')), false);
  });
});
