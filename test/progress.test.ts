// The progress line as a person sees it, on a pseudo-terminal (`script`): upload and
// retrieve draw the same line (done of total, percent, rate, ETA, in the same units),
// redrawn every second even while one part is in flight, then a summary line; nothing of
// it on stdout; --no-progress silences it and --progress forces it where stderr is a pipe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { binPath, runCli } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';
import { randomData } from './helpers/randomData.js';

const VAULT = 'progress';
const LINE = /^glacier: 'big': [\d.]+ (B|KiB|MiB) of 2\.0 MiB \(\d+%\), [\d.]+ (B|KiB|MiB)\/s, ETA (--|\d+ s)$/;

let scratch: string;
const emulator = useEmulator();
let env: NodeJS.ProcessEnv;
const data = randomData(2 * 1024 * 1024);

before(async () => {
  await emulatorStarted(emulator);
  scratch = makeScratchDir('glacier-progress-');
  env = { ...process.env, ...emulator.env, GLACIER_CACHE_DIR: join(scratch, 'cache') };
  writeFileSync(join(scratch, 'big'), data);
  assert.equal((await runCli('glacier', ['vault', 'create', VAULT], { env })).status, 0);
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

const quoteArg = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/** Runs PROGRAM on a pseudo-terminal with stdout into a file; the terminal's transcript and that file. */
function onTerminal(program: string, args: string[]): { status: number | null; screen: string[]; stdout: Buffer } {
  const stdoutFile = join(scratch, 'stdout');
  const command = `${[process.execPath, binPath(program), ...args].map(quoteArg).join(' ')} > ${quoteArg(stdoutFile)}`;
  const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { env, cwd: scratch, encoding: 'utf8' });
  // Each redraw starts with carriage return + erase line; each message ends with a newline.
  const screen = result.stdout.split(/\r\x1b\[K|\r?\n/).filter((segment) => segment !== '');
  return { status: result.status, screen, stdout: readFileSync(stdoutFile) };
}

test('upload: the line is redrawn each second while a part is in flight, then a summary', async () => {
  await emulator.addFault('UploadPart:delay:count=1:ms=3000');
  const run = onTerminal('glacier-upload', ['--part-size', '1M', '--concurrency', '1', '--print-id', VAULT, 'big']);
  await emulator.clearFaults();
  assert.equal(run.status, 0, run.screen.join('\n'));
  assert.match(run.stdout.toString(), /^[A-Za-z0-9_-]+\n$/, 'stdout holds the archive id alone');
  const lines = run.screen.filter((segment) => segment.startsWith("glacier: 'big'"));
  for (const line of lines) assert.match(line, LINE);
  const whileFirstPartInFlight = lines.filter((line) => line.startsWith("glacier: 'big': 0 B of 2.0 MiB"));
  assert.ok(whileFirstPartInFlight.length >= 3, `redrawn on time while nothing moved: ${whileFirstPartInFlight.length} draws`);
  assert.match(run.screen.at(-1) ?? '', /^glacier: stored 'big' \(2\.0 MiB in \d+ s, [\d.]+ (KiB|MiB)\/s\)$/);
});

test('retrieve: the same line and units, then a summary', async () => {
  const queued = await runCli('glacier-retrieve', ['-o', join(scratch, 'back'), VAULT, 'big'], { env });
  assert.equal(queued.status, 75, queued.stderr);
  await emulator.advanceClock(600);
  const run = onTerminal('glacier-retrieve', ['--multipart-size', '1M', '-o', join(scratch, 'back'), VAULT, 'big']);
  assert.equal(run.status, 0, run.screen.join('\n'));
  assert.equal(run.stdout.length, 0, 'nothing on stdout');
  assert.deepEqual(readFileSync(join(scratch, 'back')), data);
  const lines = run.screen.filter((segment) => segment.startsWith("glacier: 'big'"));
  assert.ok(lines.length >= 1, run.screen.join('\n'));
  for (const line of lines) assert.match(line, LINE);
  assert.match(run.screen.at(-1) ?? '', /^glacier: retrieved 'big' \(2\.0 MiB in \d+ s, [\d.]+ (B|KiB|MiB|GiB)\/s\)$/);
});

test('--no-progress: nothing but messages, even on a terminal', () => {
  const run = onTerminal('glacier-upload', ['--no-progress', '--name', 'quiet', VAULT, 'big']);
  assert.equal(run.status, 0, run.screen.join('\n'));
  assert.deepEqual(run.screen, []);
});

test('--progress where stderr is a pipe: one line per redraw, on stderr only', async () => {
  const run = await runCli('glacier-upload', ['--progress', '--part-size', '1M', '--name', 'piped', VAULT, join(scratch, 'big')], { env });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.length, 0);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  assert.ok(lines.length >= 2, run.stderr);
  for (const line of lines.slice(0, -1)) assert.match(line, /^glacier: 'piped': [\d.]+ (B|KiB|MiB) of 2\.0 MiB \(\d+%\)/);
  assert.match(lines.at(-1) ?? '', /^glacier: stored 'piped' \(2\.0 MiB in \d+ s, /);
  const quiet = await runCli('glacier-upload', ['--name', 'default', VAULT, join(scratch, 'big')], { env });
  assert.equal(quiet.stderr, '', 'no line by default where stderr is not a terminal');
});
