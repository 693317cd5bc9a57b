// The one place a command becomes an exit status: a command whose work can never finish
// (its event loop emptied while its promise is pending) must not pass for a success.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers/runCli.js';

function runWith(work: string): { status: number | null; stderr: string; stdout: string } {
  const module = new URL('dist/src/cli/reportAndExit.js', `file://${REPO_ROOT}`).href;
  const script = `import(${JSON.stringify(module)}).then(({ runAndExit }) => runAndExit(${work}));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

test('work that can never settle exits 1 with one line, not 0', () => {
  const result = runWith('() => new Promise(() => {})');
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, 'glacier: internal error: the command stopped before it finished; nothing it had not verified was delivered\n');
  assert.equal(result.stdout, '');
});

test('work that finishes exits with its own status, and the guard says nothing', () => {
  assert.deepEqual(runWith('async () => 75'), { status: 75, stderr: '', stdout: '' });
  assert.deepEqual(runWith('async () => undefined'), { status: 0, stderr: '', stdout: '' });
});
