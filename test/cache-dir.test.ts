// --cache-dir may name any folder (/tmp, ~): its mode is left alone, and the cache lives in
// a private subfolder that a planted link cannot replace.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

// upload list reads the cache only once credentials and the vault are known; `archive list`
// opens it without a request.
function listIn(cacheDir: string): ReturnType<typeof runCli> {
  const env = {
    PATH: process.env.PATH,
    HOME: cacheDir,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9',
  };
  return runCli('glacier', ['--cache-dir', cacheDir, 'archive', 'list', 'v'], { env, timeoutMs: 30_000 });
}

test('a sticky world-writable folder keeps its mode 1777', async () => {
  const shared = makeScratchDir('glacier-cache-dir-');
  chmodSync(shared, 0o1777);
  const result = await listIn(shared);
  assert.equal(statSync(shared).mode & 0o7777, 0o1777, result.stderr);
  assert.equal(statSync(join(shared, 'lmdb')).mode & 0o777, 0o700);
});

test('a link planted at the private subfolder is refused', async () => {
  const shared = makeScratchDir('glacier-cache-dir-');
  const elsewhere = makeScratchDir('glacier-cache-elsewhere-');
  mkdirSync(join(elsewhere, 'x'));
  symlinkSync(join(elsewhere, 'x'), join(shared, 'lmdb'));
  const result = await listIn(shared);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /^glacier: cannot use the cache in \S+lmdb: it is not a folder of yours\n$/);
});
